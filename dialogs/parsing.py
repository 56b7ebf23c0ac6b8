"""Reading what people type: answers, SIRET, département codes, populations. Pure functions."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

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


class SiretProblem(StrEnum):
    """Why a typed SIRET was not taken, each with its own French explanation."""

    UNREADABLE = "unreadable"  # not 9 nor 14 digits
    MISSING_NIC = "missing_nic"  # a 9-digit SIREN: the 5 digits of the establishment are missing
    CHECKSUM = "checksum"  # 14 digits, but the check digit does not match


def read_siret(text: str) -> str | SiretProblem:
    """ "SIRET : 213 105 554 00017" -> "21310555400017"; else why not (9 digits: a SIREN)."""
    compact = re.sub(
        r"(?i)\b(?:n[°o]?|numero|num|siret|siren)\b|[\s.\-:°\u00a0\u202f]", "", fold(text)[:64]
    )
    if re.fullmatch(r"[0-9]{9}", compact):  # ASCII: \d would accept "٣"
        return SiretProblem.MISSING_NIC
    if not re.fullmatch(r"[0-9]{14}", compact):
        return SiretProblem.UNREADABLE
    return compact if stdnum_siret.is_valid(compact) else SiretProblem.CHECKSUM


def parse_siret(text: str) -> str | None:
    """The SIRET in `text` (spaces, dots, dashes and the word « SIRET » allowed), Luhn-valid."""
    found = read_siret(text)
    return None if isinstance(found, SiretProblem) else found


def is_public_siren(siret: str) -> bool:
    """Public bodies' SIREN start with 1 (the State) or 2 (collectivités, public establishments)."""
    return siret[:1] in ("1", "2")


def departement_of_siret(siret: str) -> frozenset[str]:
    """The département a commune's SIREN encodes (21 + INSEE code): "21310555…" -> {"31"};
    Corsica's "20" may be 2A or 2B; empty when the SIREN is not a commune's."""
    if not siret.startswith("21") or len(siret) < 5:
        return frozenset()
    code = siret[2:4]
    if code == "20":
        return frozenset({"2A", "2B"})
    if code == "97":
        code = siret[2:5]
    return frozenset({code}) if code in DEPARTEMENTS else frozenset()


def parse_departement(text: str) -> str | None:
    """ "1" -> "01", "2a" -> "2A", "974" -> "974"; None for unknown codes."""
    folded = fold(text).upper().replace(" ", "")
    if re.fullmatch(r"[0-9]", folded):
        folded = "0" + folded
    return folded if folded in DEPARTEMENTS else None


class PopulationProblem(StrEnum):
    UNREADABLE = "unreadable"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_BIG = "too_big"


MAX_POPULATION = 70_000_000  # more than France: surely a typing slip
_POP_WORDS = re.compile(
    r"\b(?:habitants?|hab|h|inhabitants?|people|personnes?|environ|about|around|pop|population)\b\.?"
)
_POP_SCALE = {"k": 1000, "mille": 1000, "m": 1_000_000, "million": 1_000_000, "millions": 1_000_000}
_POP_RE = re.compile(r"([-−]?)\s*([0-9][0-9 .,'_]*)\s*(k|mille|millions?|m)?")


def read_population(text: str, locale: str = "fr") -> int | PopulationProblem:
    """ "1200 habitants", "12 000 hab", "1,2 k", "12.500", English "504,078" -> an int; else why not.

    A comma is a decimal mark in French ("1,2 k") unless three digits follow it ("12,500"): nobody
    has 12.5 inhabitants. With a scale (k, mille, million) decimals are allowed."""
    if any(not c.isascii() and unicodedata.numeric(c, None) is not None for c in text[:60]):
        return PopulationProblem.UNREADABLE  # "²", "١٢": int() would read them, people do not
    folded = fold(text[:60]).replace("\u202f", " ").replace("\u00a0", " ")
    folded = _POP_WORDS.sub(" ", folded).replace("~", " ").strip(" .:=")
    match = _POP_RE.fullmatch(folded.strip())
    if match is None:
        return PopulationProblem.UNREADABLE
    sign, number, scale = match.groups()
    number = re.sub(r"[ '_]", "", number)
    marks = re.findall(r"[.,]", number)
    if scale and len(marks) == 1:
        decimal_mark = marks[0]  # "1,2 k", "1.2k": a decimal with a scale, in any language
    else:
        decimal_mark = "." if locale.startswith("en") else ","
    whole, fraction = number, ""
    if decimal_mark in number:
        whole, _, fraction = number.rpartition(decimal_mark)
    if len(fraction) == 3 and not scale:
        whole, fraction = f"{whole}{decimal_mark}{fraction}", ""  # "12,500": thousands
    if not re.fullmatch(r"[0-9]+|[0-9]{1,3}(?:[.,][0-9]{3})+", whole):
        return PopulationProblem.UNREADABLE  # "12,5" in English, "1.2.3"
    whole = whole.replace(".", "").replace(",", "")
    if not re.fullmatch(r"[0-9]{1,9}", whole) or not re.fullmatch(r"[0-9]{0,6}", fraction):
        return PopulationProblem.UNREADABLE
    if fraction and not scale:
        return PopulationProblem.UNREADABLE
    value = Fraction(int(whole)) + (Fraction(int(fraction), 10 ** len(fraction)) if fraction else 0)
    value *= _POP_SCALE[scale] if scale else 1
    if sign:
        return PopulationProblem.NEGATIVE if value else PopulationProblem.ZERO
    people = int(value)
    if people == 0:
        return PopulationProblem.ZERO
    return PopulationProblem.TOO_BIG if people > MAX_POPULATION else people


def parse_population(text: str, locale: str = "fr") -> int | None:
    """The population in `text` (see read_population), or None."""
    found = read_population(text, locale)
    return None if isinstance(found, PopulationProblem) else found


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("janvier", "janv", "january", "jan"),
            ("fevrier", "fevr", "fev", "february", "feb"),
            ("mars", "march", "mar"),
            ("avril", "avr", "april", "apr"),
            ("mai", "may"),
            ("juin", "june", "jun"),
            ("juillet", "juil", "july", "jul"),
            ("aout", "august", "aug"),
            ("septembre", "sept", "sep", "september"),
            ("octobre", "oct", "october"),
            ("novembre", "nov", "november"),
            ("decembre", "dec", "december"),
        ),
        1,
    )
    for name in names
}
MAX_YEARS_AHEAD = 5
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})(?:[/.\-]([0-9]{2}|[0-9]{4}))?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_WORD_DATE = re.compile(
    r"(?:(fin|debut|mi|end of|early|mid)[\s-]*|([0-9]{1,2})(?:er|st|nd|rd|th)?\s+)"
    r"([a-z]+)\.?(?:\s+([0-9]{4}))?"
)
_PART_OF_MONTH = {"debut": 1, "early": 1, "mi": 15, "mid": 15}


def _date_parts(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) from a typed date; day 0 means the month's last day."""
    folded = fold(text[:40]).strip(" .")
    if match := _ISO_DATE.fullmatch(folded):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _NUMERIC_DATE.fullmatch(folded.replace(" ", "")):
        year = match[3]
        return (
            (int(year) + (2000 if len(year) == 2 else 0) if year else None),
            int(match[2]),
            int(match[1]),
        )
    if (match := _WORD_DATE.fullmatch(folded)) and match[3] in MONTHS:
        part, day, month, year = match[1], match[2], MONTHS[match[3]], match[4]
        number = int(day) if day else (0 if part in ("fin", "end of") else _PART_OF_MONTH[part])
        return (int(year) if year else None), month, number
    return None


def parse_date(text: str, today: date) -> tuple[date | None, str]:
    """ "15/3/27", "15 mars 2027", "2027-03-15", "fin juin", "1er mars" -> (date, ""); otherwise
    (None, why): "format", "impossible", "past" or "far". Without a year: the next such day."""
    parts = _date_parts(text)
    if parts is None:
        return None, "format"
    year, month, day = parts
    try:
        candidates = [year] if year is not None else [today.year, today.year + 1]
        value = None
        for y in candidates:
            last = calendar.monthrange(y, month)[1] if 1 <= month <= 12 else 0
            value = date(y, month, day or last)
            if value >= today:
                break
    except ValueError:
        return None, "impossible"
    assert value is not None
    if value < today:
        return None, "past"
    if value > today + timedelta(days=366 * MAX_YEARS_AHEAD):
        return None, "far"
    return value, ""


def day_off(day: date) -> str | None:
    """ "weekend", the French name of a public holiday (holidays package: Easter-based feasts
    included), or None for a working day. A due date there deserves a gentle note, and reminders
    are not sent then (dialogs.plan.schedule)."""
    name = _french_holidays(day.year).get(day)
    if name:
        return name
    return "weekend" if day.weekday() >= 5 else None


@functools.cache
def _french_holidays(year: int) -> dict[date, str]:
    """One year's public holidays (metropolitan France), built once: the reminder tick asks about
    many days. Since 2008 the list is fixed by law and computed here: the holidays package, which
    names them the same way, costs ~17 MB of memory to load (all its countries) in the serving
    process. Earlier years, whose rules changed, still ask it."""
    if year < HOLIDAY_RULES_SINCE:
        import holidays  # imported on first use: only dates long past need it

        found = holidays.country_holidays("FR", years=year, language="fr")
        return {day: str(name) for day, name in found.items()}
    easter = _easter(year)
    names: dict[date, set[str]] = {}
    for day, name in (
        (date(year, 1, 1), "Jour de l'an"),
        (easter + timedelta(days=1), "Lundi de Pâques"),
        (date(year, 5, 1), "Fête du Travail"),
        (date(year, 5, 8), "Fête de la Victoire"),
        (easter + timedelta(days=39), "Ascension"),
        (easter + timedelta(days=50), "Lundi de Pentecôte"),
        (date(year, 7, 14), "Fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "Armistice"),
        (date(year, 12, 25), "Noël"),
    ):
        names.setdefault(day, set()).add(name)
    return {day: "; ".join(sorted(names[day])) for day in sorted(names)}  # as the package joins


HOLIDAY_RULES_SINCE = 2008  # Lundi de Pentecôte is a public holiday again from 2008


def _easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


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
