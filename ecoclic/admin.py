"""`ecoclic admin …`: the platform administrator's commands (OPSN directory, referent invitations).

    ecoclic admin opsn add --name "Adico" --slug adico --departements 60,02
    ecoclic admin opsn list
    ecoclic admin opsn import [FILE]          (default: the sample shipped in storage/data)
    ecoclic admin referent invite --opsn adico   (the one-time link, then the /start message)
    ecoclic admin gdpr export|erase --user CHANNEL:ID | --siret SIRET   (see ecoclic.gdpr)

The same operations exist in chat for `ECOCLIC_ADMINS` (/admin).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dialogs.opsn.platform import REFERENT_PREFIX, REFERENT_VALIDITY, parse_departements, parse_slug
from dialogs.records import InvitationKind
from dialogs.team.people import new_token
from ecoclic.cli import Runner
from ecoclic.gdpr import add_parsers as add_gdpr_parsers
from ecoclic.link import telegram_link_lines
from ecoclic.local_time import local_datetime
from ecoclic.settings import Settings

if TYPE_CHECKING:  # the storage stack is imported when a command runs, not to build the CLI
    from storage.store import SqlStore

SAMPLE = Path(__file__).resolve().parents[1] / "storage" / "data" / "opsn-sample.yaml"


class OpsnEntry(BaseModel):
    """One OPSN of an import file; `source` and `note` document it and are not stored."""

    model_config = ConfigDict(extra="forbid")
    slug: str
    name: str = Field(min_length=2, max_length=200)
    departements: tuple[str, ...] = ()
    source: str = ""
    note: str = ""

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        slug = parse_slug(value)
        if slug is None or slug != value:
            raise ValueError("identifiant : minuscules, chiffres et tirets (40 au plus)")
        return slug

    @field_validator("departements", mode="before")
    @classmethod
    def _departements(cls, value: Any) -> Any:
        items = [value] if isinstance(value, str | int) else list(value or [])
        codes = parse_departements(",".join(str(item) for item in items))
        if codes is None:
            raise ValueError(f"département inconnu dans {items}")
        return codes


class OpsnFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    opsn: list[OpsnEntry]

    @field_validator("opsn")
    @classmethod
    def _unique(cls, entries: list[OpsnEntry]) -> list[OpsnEntry]:
        slugs = [e.slug for e in entries]
        duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
        if duplicates:
            raise ValueError(f"identifiants en double : {', '.join(duplicates)}")
        return entries


def load_opsn_file(path: Path) -> OpsnFile:
    """Raises ValueError with a French message on unreadable or invalid files."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"lecture impossible de {path} : {exc}") from exc
    try:
        return OpsnFile.model_validate(raw)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])} : {err['msg']}" for err in exc.errors()
        )
        raise ValueError(f"{path} n’est pas valable : {details}") from exc


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Runner]:
    admin = subparsers.add_parser("admin", help="administration de la plateforme (OPSN, référents)")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)

    opsn = admin_sub.add_parser("opsn", help="annuaire des OPSN")
    opsn_sub = opsn.add_subparsers(dest="opsn_command", required=True)
    add = opsn_sub.add_parser("add", help="ajouter un OPSN")
    add.add_argument("--name", required=True, help="nom affiché (ex. Adico)")
    add.add_argument("--slug", required=True, help="identifiant court (ex. adico)")
    add.add_argument(
        "--departements", default="", help="codes séparés par des virgules (ex. 60,02)"
    )
    opsn_sub.add_parser("list", help="lister les OPSN")
    imp = opsn_sub.add_parser("import", help="importer (ou mettre à jour) des OPSN depuis un YAML")
    imp.add_argument(
        "file", nargs="?", type=Path, default=SAMPLE, help="par défaut : l’échantillon fourni"
    )

    referent = admin_sub.add_parser("referent", help="référents des OPSN")
    referent_sub = referent.add_subparsers(dest="referent_command", required=True)
    invite = referent_sub.add_parser("invite", help="créer un lien d’invitation à usage unique")
    invite.add_argument("--opsn", required=True, help="identifiant court de l’OPSN")
    add_gdpr_parsers(admin_sub)
    return {"admin": run}


def run(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import open_database
    from storage.store import SqlStore

    Command = Callable[[SqlStore, argparse.Namespace, Settings], int]
    commands: dict[tuple[str, str], Command] = {
        ("opsn", "add"): _opsn_add,
        ("opsn", "list"): _opsn_list,
        ("opsn", "import"): _opsn_import,
        ("referent", "invite"): _referent_invite,
    }
    if args.admin_command == "gdpr":
        from ecoclic.gdpr import run as gdpr_run

        command: Command = gdpr_run
    else:
        sub = args.opsn_command if args.admin_command == "opsn" else args.referent_command
        command = commands[(args.admin_command, sub)]

    with open_database(settings.database_url) as sessions, sessions() as session, session.begin():
        return command(SqlStore(session), args, settings)


def _fail(message: str, code: int = 2) -> int:
    print(message, file=sys.stderr)
    return code


def _opsn_add(store: SqlStore, args: argparse.Namespace, settings: Settings) -> int:
    slug = parse_slug(args.slug)
    deps = parse_departements(args.departements)
    name = " ".join(args.name.split())
    if slug is None:
        return _fail("Identifiant non valable : minuscules, chiffres et tirets (40 au plus).")
    if deps is None:
        return _fail(
            f"Département inconnu dans « {args.departements} » (exemples : 60, 02, 2A, 974)."
        )
    if not 2 <= len(name) <= 200:
        return _fail("Le nom doit compter entre 2 et 200 caractères.")
    if store.opsn.opsn_by_slug(slug) is not None:
        return _fail(f"L’identifiant « {slug} » existe déjà (ecoclic admin opsn list).")
    opsn, _created = store.opsn.save_opsn(slug, name, deps, datetime.now(UTC))
    print(
        f"OPSN ajouté : {opsn.name} ({opsn.slug}) — départements : {', '.join(opsn.departements) or 'aucun'}"
    )
    return 0


def _opsn_list(store: SqlStore, args: argparse.Namespace, settings: Settings) -> int:
    everything = store.opsn.all_opsn()
    if not everything:
        print("Aucun OPSN enregistré.")
    for opsn in everything:
        print(f"{opsn.slug}\t{opsn.name}\t{','.join(opsn.departements) or '-'}")
    return 0


def _opsn_import(store: SqlStore, args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = load_opsn_file(args.file)
    except ValueError as exc:
        return _fail(f"Import refusé : {exc}")
    now = datetime.now(UTC)
    created = updated = 0
    for entry in data.opsn:
        _opsn, is_new = store.opsn.save_opsn(entry.slug, entry.name, entry.departements, now)
        created += is_new
        updated += not is_new
    print(f"Import terminé : {created} OPSN ajoutés, {updated} mis à jour.")
    return 0


def _referent_invite(store: SqlStore, args: argparse.Namespace, settings: Settings) -> int:
    opsn = store.opsn.opsn_by_slug(args.opsn.strip().lower())
    if opsn is None:
        return _fail(f"Aucun OPSN « {args.opsn} » (ecoclic admin opsn list).", 1)
    token = new_token()
    now = utc_now()
    expires = now + REFERENT_VALIDITY
    store.people.create_invitation(
        token=token,
        kind=InvitationKind.REFERENT,
        collectivite_id=None,
        opsn_id=opsn.id,
        created_by=None,
        expires_at=expires,
        now=now,
    )
    lines, note = telegram_link_lines(settings, REFERENT_PREFIX + token)
    if note:
        print(note, file=sys.stderr)
    print(
        f"Lien à usage unique pour devenir référent de {opsn.name}, valable jusqu’au "
        f"{local_datetime(expires, settings.timezone)} :"
    )
    for line in lines:
        print(line)
    return 0


def utc_now() -> datetime:
    """The clock of the commands (one place, so that tests can pick the day)."""
    return datetime.now(UTC)
