"""`ecoclic link`: print a signed link (24 hours) to a collectivité page or an OPSN dashboard, for
operators helping someone who cannot use the chat."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from ecoclic.cli import Runner
from ecoclic.local_time import local_datetime
from ecoclic.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Runner]:
    parser = subparsers.add_parser(
        "link", help="afficher un lien signé (24 h) vers une page de collectivité ou d’OPSN"
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--siret", help="SIRET de la collectivité (14 chiffres)")
    target.add_argument("--opsn", metavar="SLUG", help="identifiant court de l’OPSN")
    return {"link": run}


def run(args: argparse.Namespace, settings: Settings) -> int:
    from web_summary.links import MAX_AGE_SECONDS

    issued = datetime.now(UTC)
    url, error = make_link(settings, siret=args.siret, opsn_slug=args.opsn)
    if error:
        print(error, file=sys.stderr)
        return 1
    print(url)  # alone on standard output, for scripts; the expiry goes to the reader
    expires = local_datetime(issued + timedelta(seconds=MAX_AGE_SECONDS), settings.timezone)
    print(f"Valable jusqu’au {expires}.", file=sys.stderr)
    return 0


def start_message(payload: str) -> str:
    """Deep links have no Matrix equivalent (and may not open): the person sends this message to
    the bot instead."""
    return f"Sur Tchap, ou si le lien ne s’ouvre pas, envoyez ce message au bot : /start {payload}"


def telegram_link_lines(settings: Settings, payload: str) -> tuple[list[str], str]:
    """(lines for standard output, note for standard error): the `t.me` link with the bot's
    username from getMe, then the `/start CODE` message; without a username, that message only and
    a note saying why there is no link (a guessed username would lead to someone else's bot)."""
    from ecoclic.bot_identity import bot_username

    username = bot_username(settings)
    if not username:
        note = (
            "Nom d’utilisateur du bot Telegram inconnu (ECOCLIC_TELEGRAM_TOKEN non défini, ou getMe "
            "sans réponse) : pas de lien t.me, seulement le message à envoyer au bot."
        )
        return [start_message(payload)], note
    return [f"https://t.me/{username}?start={payload}", start_message(payload)], ""


def make_link(
    settings: Settings, *, siret: str | None = None, opsn_slug: str | None = None
) -> tuple[str, str]:
    """(url, "") or ("", French error)."""
    from ecoclic.app import link_signer
    from storage.db import open_database
    from storage.store import SqlStore

    with open_database(settings.database_url) as sessions:
        signer = link_signer(settings, sessions)
        with sessions() as session:
            store = SqlStore(session)
            if siret is not None:
                cleaned = "".join(ch for ch in siret if "0" <= ch <= "9")
                found = store.people.find_collectivite_by_siret(cleaned)
                if found is None:
                    return "", f"Aucune collectivité inscrite avec le SIRET « {siret} »."
                return signer.url("c", found.id, "operator"), ""
            opsn = store.opsn.opsn_by_slug(opsn_slug or "")
            if opsn is None:
                return "", f"Aucun OPSN avec l’identifiant « {opsn_slug} »."
            return signer.url("o", opsn.id, "operator"), ""
