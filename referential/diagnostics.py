"""Turn pydantic validation errors into French messages located by item id and field path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic_core import ErrorDetails


def field_path(loc: Sequence[int | str]) -> str | None:
    """``('recommendation', 'resources', 0, 'url')`` → ``recommendation.resources[0].url``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":  # pydantic's marker for an invalid dict key: the key itself is enough
            continue
        else:
            path += f".{part}" if path else part
    return path or None


def describe(error: ErrorDetails) -> str:
    """A French message for one pydantic error; custom errors already carry French text."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "extra_forbidden":
        return "champ inconnu"
    if kind == "string_too_long":
        length = len(value.strip()) if isinstance(value, str) else "?"
        return f"trop long ({length} caractères, maximum {ctx['max_length']})"
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind == "string_type":
        return f"doit être un texte (trouvé : {value!r})"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"doit être un nombre entier (trouvé : {value!r})"
    if kind in ("float_type", "float_parsing"):
        return f"doit être un nombre (trouvé : {value!r})"
    if kind in ("bool_type", "bool_parsing"):
        return f"doit valoir true ou false (trouvé : {value!r})"
    if kind == "greater_than_equal":
        return f"doit être supérieur ou égal à {ctx['ge']} (trouvé : {value!r})"
    if kind == "greater_than":
        return f"doit être strictement supérieur à {ctx['gt']} (trouvé : {value!r})"
    if kind == "less_than_equal":
        return f"doit être inférieur ou égal à {ctx['le']} (trouvé : {value!r})"
    if kind == "too_short":
        return (
            f"au moins {ctx['min_length']} élément(s) attendu(s) ({ctx['actual_length']} trouvé(s))"
        )
    if kind == "too_long":
        return f"au plus {ctx['max_length']} élément(s) permis ({ctx['actual_length']} trouvé(s))"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return f"valeur {value!r} inconnue (valeurs permises : {expected})"
    if kind in ("tuple_type", "list_type"):
        return "doit être une liste"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "doit être un dictionnaire (clé: valeur)"
    if kind.startswith(("date_", "datetime_")):
        return f"doit être une date AAAA-MM-JJ (trouvé : {value!r})"
    return error["msg"]
