"""The reminder tick, `ecoclic reminders tick [--at ISO]`, and the reminder loop of `ecoclic serve`.

A tick joins the layers batch by batch: dialogs.reminders.window says what to look for at that
instant, storage reads one batch of candidate rows (storage.reminders.SqlReminderRows),
dialogs.reminders.planning decides what is due and renders it in each recipient's language,
storage bulk-inserts the messages into the outbox; short transactions of WRITE_CHUNK rows. Everything
is computed from the database and every message has an idempotent key, so a cron job calling
`tick` every few minutes and the loop inside `serve` are interchangeable, running both at once
queues nothing twice, and a tick stopped half-way is finished by the next one.

Inside `serve` the tick runs in a thread of its own, start to end: the event loop of the channels
never waits for it, and a long tick (the Monday digests of every person) only ever holds the
database for one chunk at a time, and rests between batches (SERVE_REST).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import logging
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from dialogs.reminders.planning import BATCH, STEPS, Step
from dialogs.reminders.window import TickWindow, tick_window
from ecoclic.cli import Runner
from ecoclic.memory import trim
from ecoclic.settings import Settings
from referential.models import Referential
from storage.outbox import message_row
from storage.reminders import SqlReminderRows, insert_messages, readers
from storage.transactions import run_transaction

if TYPE_CHECKING:
    from ecoclic.serve import ServeContext

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0
TICK_ATTEMPTS = 5  # another process ticking at the same instant may win a key or the SQLite lock
TRIM_EVERY = 20  # batches between two heap trims: each holds malloc's lock for a moment
# Rows per write transaction: a batch's 500 messages went in under one lock held 30-60 ms while
# the process was busy, and chat events (which write too) waited behind it.
WRITE_CHUNK = 100
# Inside `serve`, after each batch the tick rests this fraction of the batch's time: the event loop
# and the chat workers share one GIL with it, and a tick that never pauses kept them waiting
# (`benchmarks/serve_rss.py`). The command `ecoclic reminders tick` runs alone and does not rest.
SERVE_REST = 0.5


def _batch(
    readers: sessionmaker[Session],
    writers: sessionmaker[Session],
    step: Step,
    ref: Referential,
    window: TickWindow,
    after: int,
    default_locale: str,
) -> tuple[int, int | None]:
    """One batch: read and decide, render with no transaction open, insert in short transactions.
    Returns (messages queued, cursor of the next batch)."""
    with readers() as session:
        batch = step(SqlReminderRows(session), ref, window, after, BATCH)
    rows = [
        message_row(
            key=p.key,
            user_id=p.recipient.id,
            channel=p.recipient.channel,
            chat_id=p.recipient.chat_id,
            reply=p.reply(default_locale),
            now=window.now,
        )
        for p in batch.planned
    ]
    queued = 0
    for start in range(0, len(rows), WRITE_CHUNK):
        chunk = rows[start : start + WRITE_CHUNK]
        queued += run_transaction(
            writers,
            functools.partial(_insert, chunk),
            attempts=TICK_ATTEMPTS,
        )
    return queued, batch.after


def _insert(rows: list[dict[str, Any]], session: Session) -> int:
    return insert_messages(session, rows)


def tick_once(
    sessions: sessionmaker[Session],
    ref: Referential,
    now: datetime,
    *,
    tz: str = "Europe/Paris",
    default_locale: str = "fr",
    rest: float = 0.0,
) -> int:
    """Queue every reminder due at `now` that is not queued yet; returns how many were queued.

    Synchronous and long on a large platform: async callers give it to a thread, once. Reads go
    through connections of their own (storage.reminders.readers); each batch's messages go in
    with one short transaction, so writers never wait long behind a tick. A batch that another
    process ticking at the same moment queued first inserts nothing (keys are idempotent).
    `rest`: after each batch, sleep that fraction of the batch's time (see SERVE_REST)."""
    window = tick_window(now, tz)
    if window is None:
        return 0
    queued = batches = 0
    with readers(sessions) as reading:
        for step in STEPS:
            after: int | None = 0
            while after is not None:
                started = time.monotonic()
                count, after = _batch(reading, sessions, step, ref, window, after, default_locale)
                if rest:
                    time.sleep((time.monotonic() - started) * rest)
                queued += count
                batches += 1
                if batches % TRIM_EVERY == 0:
                    trim()  # the batches' memory goes back to the system (see ecoclic.memory)
    return queued


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

    with open_database(settings.database_url) as sessions:
        count = tick_once(
            sessions,
            referential,
            now,
            tz=settings.timezone,
            default_locale=settings.default_locale,
        )
    print(queued_words(count))
    return 0


def utc_now() -> datetime:
    return datetime.now(UTC)


async def run_forever(
    ctx: ServeContext, clock: Callable[[], datetime] = utc_now, interval: float = TICK_SECONDS
) -> None:
    """The scheduler inside `ecoclic serve`: a tick every minute until the server stops, each in
    the scheduler's own worker thread (one hop per tick; see the module docstring)."""
    settings = ctx.settings
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ecoclic-reminders")
    loop = asyncio.get_running_loop()
    try:
        while not ctx.stopping.is_set():
            try:
                count = await loop.run_in_executor(
                    worker,
                    lambda: tick_once(
                        ctx.sessions,
                        ctx.referential,
                        clock(),
                        tz=settings.timezone,
                        default_locale=settings.default_locale,
                        rest=SERVE_REST,
                    ),
                )
                if count:
                    log.info("%d reminders queued", count)
            except Exception:
                log.exception("reminder tick failed; retrying at the next one")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ctx.stopping.wait(), interval)
    finally:
        worker.shutdown(wait=False)  # a tick cut short is finished by the next one


def _plug_into_serve() -> None:
    from ecoclic import serve

    if run_forever not in serve.BACKGROUND_TASKS:
        serve.BACKGROUND_TASKS.append(run_forever)


_plug_into_serve()
