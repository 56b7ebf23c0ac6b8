"""Numbers as the referential writes, stores and shows them: pure text ↔ `Decimal`, no I/O.

Three spellings, for three readers:
- *canonical* — how storage keeps an answer (storage keeps strings): ``"1200"``, ``"1200.5"``,
  ``"-3"``; one spelling per number, so equal answers are equal strings;
- *French* — how an `example` is written in the YAML and how numbers are shown: « 1 200 »,
  « 1 200,5 », « 35 % », « 12 500 € » (thousands grouped by a space, decimal comma);
- *typed* — what a person types in a chat: lenient (« 1200 », « 1 200,5 », « 1200.5 », « 35% »).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Spaces a French number may use: ordinary, no-break (U+00A0) and narrow no-break (U+202F).
SPACES = " \u00a0\u202f"
THOUSANDS_SEPARATOR = "\u202f"
UNIT_SEPARATOR = "\u00a0"

_CANONICAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
_SPACE = f"[{SPACES}]"
# Either up to four digits ungrouped (« 1200 »), or groups of three (« 1 200 », « 12 500 »).
_FRENCH = re.compile(rf"-?(?:[0-9]{{1,4}}|[0-9]{{1,3}}(?:{_SPACE}[0-9]{{3}})+)(?:,[0-9]+)?")
_TYPED = re.compile(rf"[-−]?[0-9][0-9{SPACES}]*(?:[.,][0-9]+)?")


def parse_canonical(text: str, *, whole: bool = False) -> Decimal | None:
    """The number a stored answer spells canonically, or None (``"1200.50"``, ``"+3"``, ``"1e3"``,
    ``"-0"`` and, with `whole`, any fraction are not canonical)."""
    match = _CANONICAL.fullmatch(text)
    if match is None or text == "-0" or (whole and match.group(2)):
        return None
    return Decimal(text)


def canonical(value: Decimal | int) -> str:
    """The canonical spelling: no exponent, no trailing zero, no ``-0``."""
    number = Decimal(value)
    if number == 0:
        return "0"
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def split_unit(text: str, unit: str | None) -> tuple[str, bool]:
    """`text` without its trailing « unit » (after a space), and whether the unit was there."""
    if unit:
        for space in SPACES:
            if text.endswith(space + unit):
                return text[: -len(unit) - 1], True
    return text, False


def parse_french(text: str) -> Decimal | None:
    """The number written the French way (« 1 200 », « 1 200,5 », « -3 »), or None."""
    if _FRENCH.fullmatch(text) is None:
        return None
    for space in SPACES:
        text = text.replace(space, "")
    return Decimal(text.replace(",", "."))


def parse_typed(text: str) -> Decimal | None:
    """What a person typed, leniently: spaces anywhere, decimal comma or point, « − » sign."""
    text = text.strip()
    if _TYPED.fullmatch(text) is None:
        return None
    for space in SPACES:
        text = text.replace(space, "")
    try:
        return Decimal(text.replace("−", "-").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None


def format_french(value: Decimal | int, unit: str | None = None) -> str:
    """« 1 200 », « 1 200,5 », « 35 % », « 12 500 € »: what a person reads (not for years)."""
    text = canonical(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)]
    number = (
        sign + THOUSANDS_SEPARATOR.join(reversed(groups)) + ("," + fraction if fraction else "")
    )
    return f"{number}{UNIT_SEPARATOR}{unit}" if unit else number
