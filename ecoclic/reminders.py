"""The reminder tick, `ecoclic reminders tick [--at ISO]`, and the reminder loop of `ecoclic serve`.

A tick joins the layers in one transaction: storage reads the candidate rows
(storage.reminders.SqlReminderRows), dialogs.reminders.planning decides what is due and renders it
in each recipient's language, storage bulk-inserts the messages into the outbox. Everything is
computed from the database, so a cron job calling `tick` every few minutes and the loop inside
`serve` are interchangeable, and running both at once queues nothing twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.reminders.planning import due_at
from ecoclic.cli import Runner
from ecoclic.settings import Settings
from referential.models import Referential
from storage.outbox import message_row
from storage.reminders import SqlReminderRows, insert_messages
from storage.transactions import run_transaction

if TYPE_CHECKING:
    from ecoclic.serve import ServeContext

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0
TICK_ATTEMPTS = 5  # another process ticking at the same instant may win a key or the SQLite lock


async def tick(
    session: AsyncSession,
    ref: Referential,
    now: datetime,
    *,
    tz: str = "Europe/Paris",
    default_locale: str = "fr",
) -> int:
    """Queue every reminder due at `now` that is not queued yet; returns how many were queued.
    Runs in the caller's transaction (the caller commits)."""
    planned = await due_at(SqlReminderRows(session), ref, now, tz)
    rows = [
        message_row(
            key=p.key,
            user_id=p.recipient.id,
            channel=p.recipient.channel,
            chat_id=p.recipient.chat_id,
            reply=p.reply(default_locale),
            now=now,
        )
        for p in planned
    ]
    return await insert_messages(session, rows)


async def tick_once(
    sessions: async_sessionmaker[AsyncSession],
    ref: Referential,
    now: datetime,
    *,
    tz: str = "Europe/Paris",
    default_locale: str = "fr",
) -> int:
    """A tick in its own transaction, run again if another process ticking at the same moment made
    it fail (the tick is idempotent)."""

    async def work(session: AsyncSession) -> int:
        return await tick(session, ref, now, tz=tz, default_locale=default_locale)

    return await run_transaction(sessions, work, attempts=TICK_ATTEMPTS)


def parse_instant(text: str, tz: str) -> datetime:
    """ISO 8601; without an offset, the time is read in the configured zone."""
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))


def queued_words(count: int) -> str:
    if count == 0:
        return "Aucun rappel à mettre en file d’envoi."
    if count == 1:
        return "1 rappel mis en file d’envoi."
    return f"{count} rappels mis en file d’envoi."


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Runner]:
    parser = subparsers.add_parser("reminders", help="rappels du plan d’actions")
    sub = parser.add_subparsers(dest="reminders_command", required=True)
    tick_parser = sub.add_parser(
        "tick", help="mettre en file d’envoi les rappels dus maintenant (ou à l’instant --at)"
    )
    tick_parser.add_argument(
        "--at",
        metavar="INSTANT",
        help="instant ISO 8601, par exemple 2026-12-07T09:00:00+01:00 "
        "(sans décalage : heure de ECOCLIC_TIMEZONE)",
    )
    return {"reminders": run}


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ecoclic.app import load_referential_or_exit
    from storage.db import open_database

    try:
        now = parse_instant(args.at, settings.timezone) if args.at else datetime.now(UTC)
    except ValueError:
        print(
            f"Instant invalide : {args.at!r}. Exemple : 2026-12-07T09:00:00+01:00",
            file=sys.stderr,
        )
        return 2
    referential = load_referential_or_exit()

    async def main() -> int:
        async with open_database(settings.database_url) as sessions:
            return await tick_once(
                sessions,
                referential,
                now,
                tz=settings.timezone,
                default_locale=settings.default_locale,
            )

    print(queued_words(asyncio.run(main())))
    return 0


def utc_now() -> datetime:
    return datetime.now(UTC)


async def run_forever(
    ctx: ServeContext, clock: Callable[[], datetime] = utc_now, interval: float = TICK_SECONDS
) -> None:
    """The scheduler inside `ecoclic serve`: a tick every minute until the server stops."""
    settings = ctx.settings
    while not ctx.stopping.is_set():
        try:
            count = await tick_once(
                ctx.sessions,
                ctx.referential,
                clock(),
                tz=settings.timezone,
                default_locale=settings.default_locale,
            )
            if count:
                log.info("%d reminders queued", count)
        except Exception:
            log.exception("reminder tick failed; retrying at the next one")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stopping.wait(), interval)


def _plug_into_serve() -> None:
    from ecoclic import serve

    if run_forever not in serve.BACKGROUND_TASKS:
        serve.BACKGROUND_TASKS.append(run_forever)


_plug_into_serve()
