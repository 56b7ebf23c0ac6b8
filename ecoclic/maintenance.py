"""Plugs housekeeping into `ecoclic serve` (listed in `ecoclic.serve.BACKGROUND_MODULES`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ecoclic.serve import BACKGROUND_TASKS, ServeContext
from ecoclic.service import utc_now
from storage.maintenance import purge_outbox, purge_processed_events

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600.0


async def maintenance_task(ctx: ServeContext) -> None:
    """Once an hour, forget old idempotency keys and finished notifications (keeps tables small)."""
    while not ctx.stopping.is_set():
        try:
            async with ctx.sessions() as session, session.begin():
                now = utc_now()
                keys = await purge_processed_events(session, now)
                messages = await purge_outbox(session, now)
            if keys or messages:
                log.info("purged %d event keys and %d finished notifications", keys, messages)
        except Exception:
            log.exception("maintenance failed; will try again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stopping.wait(), INTERVAL_SECONDS)


if maintenance_task not in BACKGROUND_TASKS:
    BACKGROUND_TASKS.append(maintenance_task)
