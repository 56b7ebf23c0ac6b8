"""Typed button data: one class per button family, packed into Telegram's 64 bytes, never trusted.

Modelled on aiogram's `CallbackData`: a subclass names its prefix and declares typed fields; `pack()`
writes "prefix:field:field…" and `unpack()` refuses anything malformed, out of range or forged with a
`BadCallbackData`, so a handler only ever receives a well-formed value::

    class ItemButton(CallbackData, prefix="p:i"):
        item_id: int

    ItemButton(item_id=42).pack()        # "p:i:42"
    ItemButton.unpack("p:i:42")          # ItemButton(item_id=42)
    ItemButton.unpack("p:i:2147483648")  # BadCallbackData (past a database integer)

Field types: `int` (0 ≤ n ≤ 2³¹−1, ASCII digits only), `bool` ("1"/"0"), a `StrEnum`, `str` (at most
`MAX_TEXT` characters of [A-Za-z0-9_.-] unless annotated with `Text(...)`), and `X | None` of those.
Trailing fields equal to their default are left out of the packed form, and missing trailing fields
take their default when unpacking, so a family can grow a field without breaking buttons already sent.
The worst-case packed length is checked when the class is defined, not when a user presses it.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self, dataclass_transform

MAX_BYTES = 64  # Telegram's callback_data limit, the strictest channel we serve
SEPARATOR = ":"
MAX_INT = 2**31 - 1  # the largest id a 32-bit database integer holds (PostgreSQL INTEGER)
MAX_TEXT = 24
_PREFIX_RE = re.compile(r"^[a-z][a-z0-9]*(:[a-z][a-z0-9]*)*$")
_DIGITS_RE = re.compile(r"^(0|[1-9][0-9]{0,9})$")


class BadCallbackData(ValueError):
    """Button data that does not parse: stale (an older format) or forged."""


@dataclass(frozen=True)
class Text:
    """Constraints of a `str` field: `Annotated[str, Text(max_len=40)]`."""

    max_len: int = MAX_TEXT
    pattern: str = r"[A-Za-z0-9_.-]*"


@dataclass(frozen=True)
class _Field:
    name: str
    kind: type  # int, bool, str or a StrEnum subclass
    optional: bool
    text: Text
    default: Any  # dataclasses.MISSING when required

    @property
    def width(self) -> int:
        """Most bytes the packed value can take."""
        if self.kind is bool:
            return 1
        if self.kind is int:
            return len(str(MAX_INT))
        if issubclass(self.kind, StrEnum):
            return max(len(m.value.encode()) for m in self.kind)
        ascii_only = self.text.pattern == Text.pattern
        return self.text.max_len * (1 if ascii_only else 4)  # UTF-8 worst case otherwise

    def dump(self, value: Any) -> str:
        if value is None:
            if not self.optional:
                raise ValueError(f"{self.name} may not be None")
            return ""
        if self.kind is bool:
            return "1" if value else "0"
        if self.kind is int:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INT:
                raise ValueError(f"{self.name}: {value!r} is not an id")
            return str(value)
        if issubclass(self.kind, StrEnum):
            return self.kind(value).value
        text = str(value)
        if len(text) > self.text.max_len or not re.fullmatch(self.text.pattern, text):
            raise ValueError(f"{self.name}: {text!r} does not fit {self.text}")
        if SEPARATOR in text:
            raise ValueError(f"{self.name}: {text!r} contains the separator")
        return text

    def load(self, raw: str) -> Any:
        if raw == "" and self.optional:
            return None
        if self.kind is bool:
            if raw not in ("0", "1"):
                raise BadCallbackData(f"{self.name}: not a flag")
            return raw == "1"
        if self.kind is int:
            # A regex on ASCII digits: Python calls "²" and "٣" digits too, and int() refuses "²".
            if not _DIGITS_RE.fullmatch(raw) or int(raw) > MAX_INT:
                raise BadCallbackData(f"{self.name}: not an id")
            return int(raw)
        if issubclass(self.kind, StrEnum):
            try:
                return self.kind(raw)
            except ValueError:
                raise BadCallbackData(f"{self.name}: unknown value") from None
        if len(raw) > self.text.max_len or not re.fullmatch(self.text.pattern, raw):
            raise BadCallbackData(f"{self.name}: malformed text")
        return raw


def _field_of(name: str, hint: Any, default: Any) -> _Field:
    text = Text()
    if typing.get_origin(hint) is typing.Annotated:
        hint, *extras = typing.get_args(hint)
        text = next((e for e in extras if isinstance(e, Text)), text)
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1 or len(typing.get_args(hint)) != 2:
            raise TypeError(f"{name}: only `X | None` unions are supported")
        hint, optional = args[0], True
    if not isinstance(hint, type) or not (hint in (int, bool, str) or issubclass(hint, StrEnum)):
        raise TypeError(f"{name}: unsupported field type {hint!r}")
    return _Field(name, hint, optional, text, default)


@dataclass_transform(frozen_default=True)
class CallbackData:
    """Base of every button family; see the module docstring."""

    __prefix__: ClassVar[str]
    __fields__: ClassVar[tuple[_Field, ...]]

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not _PREFIX_RE.fullmatch(prefix):
            raise TypeError(f"{cls.__name__}: bad prefix {prefix!r}")
        cls.__prefix__ = prefix
        dataclass(frozen=True)(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            default = f.default
            fields.append(_field_of(f.name, hints[f.name], default))
        cls.__fields__ = tuple(fields)
        worst = len(prefix) + sum(len(SEPARATOR) + f.width for f in fields)
        if worst > MAX_BYTES:
            raise TypeError(
                f"{cls.__name__}: packed data may reach {worst} bytes (limit {MAX_BYTES})"
            )

    def pack(self) -> str:
        values = [f.dump(getattr(self, f.name)) for f in self.__fields__]
        # Leave out trailing fields at their default: shorter data, and older buttons stay valid.
        while values and self.__fields__[len(values) - 1].default is not dataclasses.MISSING:
            last = self.__fields__[len(values) - 1]
            if getattr(self, last.name) != last.default:
                break
            values.pop()
        return SEPARATOR.join((self.__prefix__, *values))

    @classmethod
    def matches(cls, data: str) -> bool:
        return data == cls.__prefix__ or data.startswith(cls.__prefix__ + SEPARATOR)

    @classmethod
    def unpack(cls, data: str) -> Self:
        """The value packed in `data`; `BadCallbackData` when it is not exactly that."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES or not cls.matches(data):
            raise BadCallbackData("not this family")
        rest = data[len(cls.__prefix__) + 1 :]
        parts = rest.split(SEPARATOR) if data != cls.__prefix__ else []
        if len(parts) > len(cls.__fields__):
            raise BadCallbackData("too many fields")
        values: dict[str, Any] = {}
        for index, f in enumerate(cls.__fields__):
            if index < len(parts):
                values[f.name] = f.load(parts[index])
            elif f.default is not dataclasses.MISSING:
                values[f.name] = f.default
            else:
                raise BadCallbackData(f"{f.name}: missing")
        return cls(**values)
