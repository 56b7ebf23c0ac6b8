"""`ecoclic referential check|export` (also `python -m referential check|export`).

`check` is what content writers run before committing: every problem, one per line, naming the
file, the item id and the field, then the question counts per theme. `export` prints the whole
referential as JSON for other tools (web page, spreadsheets, reviews).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from referential.errors import ReferentialError
from referential.export import LANGUAGES, export_data
from referential.loader import inspect_referential
from referential.models import Referential
from referential.rules import ThemeSource


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `referential` command (with `check` and `export`) to a parent CLI."""
    parser = subparsers.add_parser(
        "referential",
        help="valider ou exporter le référentiel de questions",
        description="Valider ou exporter le référentiel de questions (fichiers YAML).",
    )
    _add_commands(parser)


def _add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="referential_command", metavar="COMMANDE", required=True)
    check = commands.add_parser(
        "check", help="valider le référentiel et compter les questions par thème"
    )
    _add_path(check)
    check.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="fr",
        help="en : exiger aussi la traduction anglaise complète du niveau 1 et du glossaire",
    )
    check.add_argument(
        "--strict-counts",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="vérifier aussi les nombres de questions et la couverture des objectifs "
        "(par défaut : seulement pour le référentiel livré)",
    )
    export = commands.add_parser("export", help="afficher tout le référentiel")
    _add_path(export)
    export.add_argument("--format", choices=["json"], default="json", help="format (json)")
    export.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="fr",
        help="langue des textes (en : l'anglais, le français là où il n'y a pas de traduction)",
    )


def _add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--path",
        type=Path,
        default=None,
        help="dossier du référentiel (par défaut : celui livré avec l'application)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the parsed `referential` command; return the process exit code."""
    if args.referential_command == "check":
        return _check(args.path, args.strict_counts, args.lang)
    if args.referential_command == "export":
        return _export(args.path, args.lang)
    print(f"commande inconnue : {args.referential_command}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m referential`."""
    parser = argparse.ArgumentParser(
        prog="python -m referential", description="Valider ou exporter le référentiel."
    )
    _add_commands(parser)
    return run(parser.parse_args(argv))


def _print_errors(errors: Sequence[ReferentialError]) -> None:
    noun = "erreur" if len(errors) == 1 else "erreurs"
    print(f"Référentiel invalide : {len(errors)} {noun}.", file=sys.stderr)
    for error in errors:
        print(f"  {error}", file=sys.stderr)


def _check(path: Path | None, strict_counts: bool | None, lang: str = "fr") -> int:
    english = True if lang == "en" else None
    inspection = inspect_referential(path, strict_counts=strict_counts, english=english)
    _print_counts(inspection.sources)
    if inspection.errors:
        _print_errors(inspection.errors)
        return 1
    ref = inspection.referential
    assert ref is not None
    _print_levels(inspection.sources)
    print(f"Indicateurs : {len(ref.indicators)}")
    _print_english(ref)
    level_one = ref.level_questions(1)
    print(
        f"Référentiel {ref.version} du {ref.date.isoformat()} valide : "
        f"{len(level_one)} questions de niveau 1 dans {len(ref.level_themes(1))} thèmes, "
        f"{len(ref.glossary)} termes de glossaire."
    )
    return 0


def _print_english(ref: Referential) -> None:
    """How much of the referential the English overlay covers, per level."""
    english = ref.translated("en")
    if english is ref:
        print("Anglais : pas de traduction")
        return
    levels = sorted({q.level for q in ref.questions})
    parts = []
    for level in levels:
        questions = [q for q in english.questions if q.level == level]
        done = sum(1 for q in questions if english.is_translated(q.id))
        parts.append(f"niveau {level} : {done}/{len(questions)} questions")
    print(f"Anglais : {', '.join(parts)}, {len(english.glossary)} termes de glossaire")


def _questions(count: int) -> str:
    return f"{count} question" if count <= 1 else f"{count} questions"


def _print_counts(sources: Sequence[ThemeSource]) -> None:
    """Questions per theme file and sub-theme, as read (even when the referential has errors)."""
    for source in sorted(sources, key=lambda s: s.file):
        theme = source.theme
        label = f"{theme.id} {theme.title}" if theme else "(en-tête invalide)"
        state = " (verrouillé)" if theme and theme.locked else ""
        level = f"niveau {theme.level}" if theme else "niveau ?"
        print(f"{source.file:<40} {label} — {level}{state} : {_questions(len(source.questions))}")
        for sub in theme.subthemes if theme else ():
            count = sum(1 for q in source.questions if q.subtheme == sub.id)
            print(f"{'':<40}   {sub.id} {sub.title} : {_questions(count)}")


def _print_levels(sources: Sequence[ThemeSource]) -> None:
    """Questions, themes and sub-themes per level."""
    levels: dict[int, list[ThemeSource]] = {}
    for source in sources:
        if source.theme is not None:
            levels.setdefault(source.theme.level, []).append(source)
    for level, placed in sorted(levels.items()):
        count = sum(len(s.questions) for s in placed)
        subthemes = sum(len(s.theme.subthemes) for s in placed if s.theme is not None)
        print(
            f"Niveau {level} : {_questions(count)}, {len(placed)} thème(s), "
            f"{subthemes} sous-thème(s)"
        )


def _export(path: Path | None, lang: str = "fr") -> int:
    # Completeness rules are not applied: a referential being written can still be exported.
    inspection = inspect_referential(path, strict_counts=False)
    if inspection.errors or inspection.referential is None:
        _print_errors(inspection.errors)
        return 1
    text = json.dumps(export_data(inspection.referential, lang), ensure_ascii=False, indent=2)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # The reader (`… | head`) stopped early: nothing is wrong, silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
