"""Reading what people type: answers, SIRET, département codes, populations. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from stdnum.fr import siret as stdnum_siret

YES = frozenset({"oui", "o", "yes", "y", "ouais", "ok oui"})
NO = frozenset({"non", "n", "no"})
DONT_KNOW = frozenset(
    {
        "je ne sais pas",
        "nsp",
        "jsp",
        "?",
        "je sais pas",
        "sais pas",
        "ne sais pas",
        "i don't know",
        "dont know",
        "idk",
    }
)

DEPARTEMENTS = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)


class CollectiviteKind(StrEnum):
    """The kinds of collectivité, in the order they are offered (typed "1" is a commune)."""

    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    REGION = "region"
    SYNDICAT_AUTRE = "syndicat_autre"


KINDS = tuple(CollectiviteKind)

MAX_TEXT = 4000  # longer input is cut before any parsing (nobody types a SIRET in 4 000 characters)


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed, control characters dropped."""
    text = text[:MAX_TEXT]
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c
        for c in decomposed
        if c.isspace() or (not unicodedata.combining(c) and unicodedata.category(c)[0] != "C")
    )
    kept = kept.replace("’", "'")
    return " ".join(kept.lower().split())


def parse_yes_no(text: str) -> str | None:
    """ "Oui" / "NON" / "je ne sais pas" / "?" -> "oui" | "non" | "nsp"; None otherwise."""
    folded = fold(text).strip(" .!")
    if folded == "?" or fold(text).strip() == "?":
        return "nsp"
    if folded in YES:
        return "oui"
    if folded in NO:
        return "non"
    if folded in DONT_KNOW:
        return "nsp"
    return None


def parse_siret(text: str) -> str | None:
    """Digits only (spaces, dots and dashes allowed in between), 14 long, Luhn-valid."""
    compact = re.sub(r"[\s.\-]", "", text[:64])
    if not re.fullmatch(r"[0-9]{14}", compact):  # ASCII: \d would accept "٣"
        return None
    return compact if stdnum_siret.is_valid(compact) else None


def parse_departement(text: str) -> str | None:
    """ "1" -> "01", "2a" -> "2A", "974" -> "974"; None for unknown codes."""
    folded = fold(text).upper().replace(" ", "")
    if re.fullmatch(r"[0-9]", folded):
        folded = "0" + folded
    return folded if folded in DEPARTEMENTS else None


def parse_population(text: str) -> int | None:
    """ "12 500", "12500", "12.500" -> 12500; None unless 1 to 100 000 000."""
    compact = re.sub(r"[\s.\u202f\u00a0_']", "", text[:40])
    if not re.fullmatch(r"[0-9]{1,9}", compact):
        return None
    value = int(compact)
    return value if 1 <= value <= 100_000_000 else None


class Intent(StrEnum):
    """What a short typed word means in any flow (« pourquoi », « retour », « bonjour »…)."""

    WHY = "why"
    DEFINITIONS = "definitions"
    BACK = "back"
    HELLO = "hello"
    NOT_CONCERNED = "not_concerned"


_INTENTS = {
    Intent.WHY: ("pourquoi", "pourquoi cette question", "why", "explication", "explications"),
    Intent.DEFINITIONS: ("definition", "definitions", "c'est quoi", "glossaire", "definition ?"),
    Intent.BACK: ("retour", "precedent", "precedente", "question precedente", "back", "revenir"),
    Intent.HELLO: ("bonjour", "salut", "bonsoir", "coucou", "hello", "hi", "hey", "start"),
    Intent.NOT_CONCERNED: ("non concerne", "non concernee", "pas concerne", "pas concernee", "nc"),
}
_INTENT_OF = {word: intent for intent, words in _INTENTS.items() for word in words}


def parse_intent(text: str) -> Intent | None:
    """ "Pourquoi ?" -> WHY, "Bonjour !" -> HELLO, "retour" -> BACK; None for anything else."""
    folded = fold(text).strip(" .!?,;:")
    return _INTENT_OF.get(folded)


def parse_choice(text: str, options: list[tuple[str, str]]) -> str | None:
    """Match a typed choice against (id, label) options: by number (1-based), id or label."""
    folded = fold(text).strip(" .")
    if re.fullmatch(r"[0-9]{1,9}", folded):
        number = int(folded)
        if 1 <= number <= len(options):
            return options[number - 1][0]
        return None
    for option_id, label in options:
        if folded in (fold(option_id), fold(label)):
            return option_id
    return None
