"""Constrained field types shared by the referential models.

Every limit of the data contract lives here once, so the models read like the YAML they validate.
Custom checks raise `PydanticCustomError` with a French message, which the loader passes through.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# Why these limits: texts are read on a phone in a chat bubble; a bubble beyond ~600 characters
# needs scrolling, and a button label beyond ~40 characters is cut by Telegram clients.
QUESTION_TEXT_MAX = 200
HELP_MAX = 600
RECOMMENDATION_TITLE_MAX = 120
RECOMMENDATION_BODY_MAX = 600
RESOURCE_TITLE_MAX = 120
TERM_MAX = 60
DEFINITION_MAX = 400
THEME_INTRO_MAX = 300
TITLE_MAX = 120
OPTION_LABEL_MAX = 40
VERSION_MAX = 20  # storage keeps the version in a String(20) column
UNIT_MAX = 20  # « équipements », « Go », « kg »: a unit follows a number on one line
TEXT_ANSWER_MAX = 300  # a free-text answer: a name, a function, a provider — not an essay
SOURCE_MAX = 200  # a threshold's source: the text and article that set it


def _matching(pattern: str, expected: str) -> AfterValidator:
    """Accept only values matching `pattern`; `expected` explains it in French."""
    regex = re.compile(pattern)

    def check(value: str) -> str:
        if not regex.fullmatch(value):
            raise PydanticCustomError(
                "id_format",
                "valeur « {value} » invalide (attendu : {expected})",
                {"value": value, "expected": expected},
            )
        return value

    return AfterValidator(check)


def _ends_with_question_mark(value: str) -> str:
    if not value.endswith("?"):
        raise PydanticCustomError("question_mark", "la question doit se terminer par « ? »")
    return value


def _https_url(value: str) -> str:
    """Accept only well-formed absolute https links (no spaces, a dotted host name)."""
    if any(char.isspace() for char in value):
        raise PydanticCustomError(
            "url_format", "lien mal formé (contient une espace) : « {url} »", {"url": value}
        )
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise PydanticCustomError(
            "url_scheme",
            "lien non https : « {url} » (seuls les liens https:// sont acceptés)",
            {"url": value},
        )
    host = parts.hostname or ""
    if (
        not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", host)
        or parts.username is not None
    ):
        raise PydanticCustomError(
            "url_format", "lien mal formé (nom de domaine invalide) : « {url} »", {"url": value}
        )
    return value


def _text(max_length: int) -> StringConstraints:
    # Surrounding whitespace (e.g. the newline a YAML `>` block leaves) is stripped before counting.
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


_STRICT = Field(strict=True)

Text40 = Annotated[str, _STRICT, _text(OPTION_LABEL_MAX)]
Text60 = Annotated[str, _STRICT, _text(TERM_MAX)]
Text120 = Annotated[str, _STRICT, _text(TITLE_MAX)]
Text300 = Annotated[str, _STRICT, _text(THEME_INTRO_MAX)]
Text400 = Annotated[str, _STRICT, _text(DEFINITION_MAX)]
Text600 = Annotated[str, _STRICT, _text(HELP_MAX)]
QuestionText = Annotated[
    str, _STRICT, _text(QUESTION_TEXT_MAX), AfterValidator(_ends_with_question_mark)
]
HttpsUrl = Annotated[str, _STRICT, _text(2000), AfterValidator(_https_url)]

# A level-2 theme deepening a level-1 one takes its id and a digit: GOV2 deepens GOV.
ThemeId = Annotated[
    str,
    _STRICT,
    _matching(r"[A-Z]{2,5}[0-9]?", "2 à 5 lettres majuscules, un chiffre permis : GOV, GOV2"),
]
QuestionId = Annotated[
    str, _STRICT, _matching(r"[A-Z]{2,5}[0-9]?-[0-9]{2}", "THEME-NN, ex. GOV-01, GOV2-01")
]
SubThemeId = Annotated[
    str, _STRICT, _matching(r"[A-Z]{2,5}[0-9]?-[A-Z0-9]{2,8}", "THEME-CODE, ex. APL-RGPD")
]
OptionId = Annotated[str, _STRICT, _matching(r"[a-z0-9]{1,8}", "1 à 8 minuscules ou chiffres")]
TermId = Annotated[
    str, _STRICT, _matching(r"[a-z0-9]+(-[a-z0-9]+)*", "minuscules, chiffres et tirets")
]
ObjectiveId = Annotated[str, _STRICT, _matching(r"O[1-9][0-9]?", "O suivi d'un numéro, ex. O1")]
GradeLetter = Annotated[str, _STRICT, _matching(r"[A-Z]", "une lettre majuscule")]
Version = Annotated[
    str,
    _STRICT,
    StringConstraints(max_length=VERSION_MAX),
    _matching(r"[0-9]+\.[0-9]+\.[0-9]+", "MAJEUR.MINEUR.CORRECTIF, ex. 1.0.0"),
]
IndicatorId = Annotated[
    str,
    _STRICT,
    StringConstraints(max_length=40),
    _matching(r"[a-z0-9]+(-[a-z0-9]+)*", "minuscules, chiffres et tirets, 40 au plus"),
]
Unit = Annotated[str, _STRICT, _text(UNIT_MAX)]
Text200 = Annotated[str, _STRICT, _text(SOURCE_MAX)]
Credit = Annotated[float, Field(strict=True, ge=0, le=1)]
PositiveInt = Annotated[int, Field(strict=True, gt=0)]


def _number(value: Any) -> Any:
    """A YAML number as an exact `Decimal` (0.1 stays 1/10); texts and booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError(
            "number_type", "doit être un nombre (trouvé : {value})", {"value": repr(value)}
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PydanticCustomError("number_type", "doit être un nombre fini")
        return Decimal(repr(value))
    return Decimal(value)


# Bounds, thresholds and rule values: exact, so « below: 0.35 » means 35/100, not a float near it.
Number = Annotated[Decimal, BeforeValidator(_number)]


def one_or_many(value: Any) -> Any:
    """Let the YAML write one item without brackets: ``answer: oui`` reads as ``[oui]``."""
    return [value] if isinstance(value, str) else value


def count_between(low: int, high: int | None = None) -> BeforeValidator:
    """Check a list's length before its items are validated.

    pydantic's own `min_length` counts only the items that passed validation, so one broken
    resource would also report « au moins 1 élément (0 trouvé) ».
    """

    def check(value: Any) -> Any:
        if isinstance(value, list | tuple):
            if len(value) < low:
                raise PydanticCustomError(
                    "too_few",
                    "au moins {low} élément(s) attendu(s) ({count} trouvé(s))",
                    {"low": low, "count": len(value)},
                )
            if high is not None and len(value) > high:
                raise PydanticCustomError(
                    "too_many",
                    "au plus {high} élément(s) permis ({count} trouvé(s))",
                    {"high": high, "count": len(value)},
                )
        return value

    return BeforeValidator(check)


def ensure_unique(values: Iterable[str], what: str) -> None:
    """Raise a French validation error naming the first duplicated value."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate", "{what} « {value} » en double", {"what": what, "value": value}
            )
        seen.add(value)
