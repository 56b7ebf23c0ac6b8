"""Plugs housekeeping into `ecoclic serve` (listed in `ecoclic.serve.BACKGROUND_MODULES`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.orm import Session, sessionmaker

from ecoclic.serve import BACKGROUND_TASKS, ServeContext
from ecoclic.service import utc_now
from storage.maintenance import purge_outbox, purge_processed_events

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600.0


def purge(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """One transaction: (event keys, finished notifications) forgotten."""
    with sessions() as session, session.begin():
        now = utc_now()
        return purge_processed_events(session, now), purge_outbox(session, now)


async def maintenance_task(ctx: ServeContext) -> None:
    """Once an hour, forget old idempotency keys and finished notifications (keeps tables small).
    The purge runs in a worker thread, so the bot and the pages never wait for it."""
    while not ctx.stopping.is_set():
        try:
            keys, messages = await asyncio.to_thread(purge, ctx.sessions)
            if keys or messages:
                log.info("purged %d event keys and %d finished notifications", keys, messages)
        except Exception:
            log.exception("maintenance failed; will try again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stopping.wait(), INTERVAL_SECONDS)


if maintenance_task not in BACKGROUND_TASKS:
    BACKGROUND_TASKS.append(maintenance_task)
