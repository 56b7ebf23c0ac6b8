"""Entity parsing for parse_mode=HTML, strict enough that a formatting bug fails in CI.

Telegram stores the plain text plus entities (offsets in UTF-16 code units) and rejects markup it
cannot parse with 400 "can't parse entities". We accept the documented tags and their aliases,
require balanced nesting and require every `&` to start an entity (stricter than Telegram, which
sometimes keeps a stray `&`: text escaped with `html.escape` always passes). MarkdownV2 and
Markdown texts are stored as sent, unparsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass(frozen=True)
class FormattedText:
    text: str
    entities: tuple[dict[str, Any], ...] = ()


@dataclass
class _Open:
    tag: str
    kind: str
    start: int
    seq: int  # opening order: an outer entity is listed before an inner one
    extra: dict[str, str] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_text(text: str, parse_mode: str | None, entities: Any = None) -> FormattedText:
    """Turn what the bot sent into what Telegram would store."""
    if not parse_mode:
        return FormattedText(text, tuple(entities) if isinstance(entities, list) else ())
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode in ("markdown", "markdownv2"):
        return FormattedText(text)
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def parse_html(source: str) -> FormattedText:
    out: list[str] = []
    position = 0  # UTF-16 offset in the plain text
    stack: list[_Open] = []
    entities: list[tuple[int, dict[str, Any]]] = []
    opened = 0
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            match = _TAG.match(source, i)
            if match is None:
                raise _error(f'Unsupported start tag "" at byte offset {_byte(source, i)}')
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                seq = stack[-1].seq if stack else 0
                entity = _close(stack, name, source, i, position)
                if entity is not None:
                    entities.append((seq, entity))
            else:
                stack.append(_open(name, match.group(3), source, i, position, opened))
                opened += 1
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(source, i)
            if match is None:
                raise _error(
                    f"Character entity expected at byte offset {_byte(source, i)}: "
                    'write "&amp;" for a literal "&"'
                )
            decoded = _decode_entity(match.group(1), source, i)
            out.append(decoded)
            position += utf16_len(decoded)
            i = match.end()
        else:
            out.append(char)
            position += utf16_len(char)
            i += 1
    if stack:
        raise _error(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda item: (item[1]["offset"], -item[1]["length"], item[0]))
    return FormattedText("".join(out), tuple(entity for _, entity in entities))


def _open(name: str, attributes: str, source: str, index: int, position: int, seq: int) -> _Open:
    kind = _TAGS.get(name)
    if kind is None:
        raise _error(f'Unsupported start tag "{name}" at byte offset {_byte(source, index)}')
    attrs = {
        m.group(1).lower(): next(g for g in m.group(2, 3, 4) if g is not None)
        for m in _ATTR.finditer(attributes)
    }
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _error(f'Unsupported start tag "span" at byte offset {_byte(source, index)}')
    return _Open(name, kind, position, seq, attrs)


def _close(
    stack: list[_Open], name: str, source: str, index: int, position: int
) -> dict[str, Any] | None:
    if not stack:
        raise _error(f"Unexpected end tag at byte offset {_byte(source, index)}")
    top = stack.pop()
    if top.tag != name:
        raise _error(
            f"Unmatched end tag at byte offset {_byte(source, index)}, "
            f'expected "</{top.tag}>", found "</{name}>"'
        )
    length = position - top.start
    if length == 0:
        return None
    entity: dict[str, Any] = {"type": top.kind, "offset": top.start, "length": length}
    if top.kind == "text_link":
        href = top.extra.get("href")
        if not href:
            return None
        entity["url"] = href
    if top.kind == "code" and stack and stack[-1].kind == "pre":
        language = top.extra.get("class", "")
        if language.startswith("language-"):
            stack[-1].extra["language"] = language.removeprefix("language-")
    if top.kind == "pre" and "language" in top.extra:
        entity["language"] = top.extra["language"]
    return entity


def _decode_entity(name: str, source: str, index: int) -> str:
    if name in _NAMED:
        return _NAMED[name]
    code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
    if not 0 < code <= 0x10FFFF:
        raise _error(f"Invalid character entity at byte offset {_byte(source, index)}")
    return chr(code)


def _byte(source: str, index: int) -> int:
    return len(source[:index].encode())


def _error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def check_text(formatted: FormattedText) -> None:
    if not formatted.text.strip():
        raise bad_request("message text is empty")
    if len(formatted.text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(formatted: FormattedText) -> None:
    if len(formatted.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
