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
from typing import Any

from referential.errors import ReferentialError
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
        "--strict-counts",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="vérifier aussi les nombres de questions et la couverture des objectifs "
        "(par défaut : seulement pour le référentiel livré)",
    )
    export = commands.add_parser("export", help="afficher tout le référentiel")
    _add_path(export)
    export.add_argument("--format", choices=["json"], default="json", help="format (json)")


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
        return _check(args.path, args.strict_counts)
    if args.referential_command == "export":
        return _export(args.path)
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


def _check(path: Path | None, strict_counts: bool | None) -> int:
    inspection = inspect_referential(path, strict_counts=strict_counts)
    _print_counts(inspection.sources)
    if inspection.errors:
        _print_errors(inspection.errors)
        return 1
    ref = inspection.referential
    assert ref is not None
    level_one = ref.level_questions(1)
    print(
        f"Référentiel {ref.version} du {ref.date.isoformat()} valide : "
        f"{len(level_one)} questions de niveau 1 dans {len(ref.level_themes(1))} thèmes, "
        f"{len(ref.glossary)} termes de glossaire."
    )
    return 0


def _print_counts(sources: Sequence[ThemeSource]) -> None:
    """Questions per theme file, as read (even when the referential has errors)."""
    for source in sorted(sources, key=lambda s: s.file):
        theme = source.theme
        label = f"{theme.id} {theme.title}" if theme else "(en-tête invalide)"
        state = " (verrouillé)" if theme and theme.locked else ""
        level = f"niveau {theme.level}" if theme else "niveau ?"
        count = len(source.questions)
        noun = "question" if count <= 1 else "questions"
        print(f"{source.file:<40} {label} — {level}{state} : {count} {noun}")


def _export(path: Path | None) -> int:
    # Completeness rules are not applied: a referential being written can still be exported.
    inspection = inspect_referential(path, strict_counts=False)
    if inspection.errors or inspection.referential is None:
        _print_errors(inspection.errors)
        return 1
    text = json.dumps(export_data(inspection.referential), ensure_ascii=False, indent=2)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # The reader (`… | head`) stopped early: nothing is wrong, silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def export_data(ref: Referential) -> dict[str, Any]:
    """The referential as plain JSON-ready data (the shape `export --format json` prints)."""
    return {
        "version": ref.version,
        "grades": {grade.letter: grade.min for grade in ref.grades},
        "weights": {priority.value: weight for priority, weight in ref.weights.items()},
        "themes": [
            {"id": t.id, "title": t.title, "level": t.level, "locked": t.locked} for t in ref.themes
        ],
        "questions": [
            {
                "id": q.id,
                "theme": q.theme,
                "level": q.level,
                "text": q.text,
                "help": q.help,
                "answer_type": q.answer_type.value,
                "options": [{"id": o.id, "label": o.label, "credit": o.credit} for o in q.options],
                "priority": q.priority.value,
                "weight": ref.weight(q),
                "decree_objectives": list(q.decree_objectives),
                "definitions": list(q.definitions),
                "recommendation": {
                    "title": q.recommendation.title,
                    "why": q.recommendation.why,
                    "how": q.recommendation.how,
                    "resources": [
                        {"title": r.title, "url": r.url} for r in q.recommendation.resources
                    ],
                },
            }
            for q in ref.questions
        ],
        "glossary": [
            {"id": t.id, "term": t.term, "definition": t.definition} for t in ref.glossary
        ],
    }
