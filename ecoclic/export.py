"""`ecoclic export plan|roadmap --siret SIRET --format csv|ods|pdf --output FILE`: the documents
of the chat's /documents and of the web page, written from the command line (operators, OPSN)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ecoclic.cli import Runner
from ecoclic.settings import Settings

KINDS = ("plan", "roadmap")
FORMATS = ("csv", "ods", "pdf")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Runner]:
    parser = subparsers.add_parser(
        "export", help="exporter le plan d’actions (CSV, ODS) ou la feuille de route (PDF)"
    )
    parser.add_argument("kind", choices=KINDS, help="plan d’actions ou feuille de route")
    parser.add_argument("--siret", required=True, help="SIRET de la collectivité (14 chiffres)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
    parser.add_argument("--output", required=True, type=Path, help="fichier à écrire (- : sortie)")
    return {"export": run}


def run(args: argparse.Namespace, settings: Settings) -> int:
    content, error = export(settings, siret=args.siret, fmt=args.fmt)
    if error:
        print(error, file=sys.stderr)
        return 1
    if str(args.output) == "-":
        sys.stdout.buffer.write(content)
        return 0
    try:
        args.output.write_bytes(content)
    except OSError as exc:
        print(f"Impossible d’écrire « {args.output} » : {exc.strerror}.", file=sys.stderr)
        return 1
    print(f"{args.output} écrit ({len(content) // 1024 + 1} Ko).")
    return 0


def export(settings: Settings, *, siret: str, fmt: str) -> tuple[bytes, str]:
    """(file content, "") or (b"", French error). CSV and ODS hold the plan, PDF the roadmap."""
    from dialogs.documents.data import gather
    from dialogs.documents.files import DocumentFormat, make
    from ecoclic.app import load_referential_or_exit
    from storage.db import open_database, read_sessions
    from storage.store import SqlStore

    cleaned = "".join(ch for ch in siret if "0" <= ch <= "9")
    ref = load_referential_or_exit()
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    with open_database(settings.database_url) as sessions, read_sessions(sessions)() as session:
        store = SqlStore(session)
        found = store.people.find_collectivite_by_siret(cleaned)
        if found is None:
            return b"", f"Aucune collectivité inscrite avec le SIRET « {siret} »."
        data = gather(ref, store, found, today)
    return make(data, DocumentFormat(fmt)).content, ""
