"""Plugs housekeeping into `ecoclic serve` (listed in `ecoclic.serve.BACKGROUND_MODULES`): purges,
and the retention of personal data (people silent for `Settings.retention_months` are warned a
month before, then erased as `ecoclic admin gdpr erase` would)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from dialogs.i18n import locale_of, translator
from dialogs.privacy.texts import retention_warning
from ecoclic.gdpr import erase_person
from ecoclic.serve import BACKGROUND_TASKS, ServeContext
from ecoclic.service import utc_now
from ecoclic.settings import Settings
from storage import privacy
from storage.db import read_sessions
from storage.maintenance import purge_outbox, purge_processed_events
from storage.outbox import enqueue
from storage.store import SqlStore

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600.0


def purge(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """One transaction: (event keys, finished notifications) forgotten."""
    with sessions() as session, session.begin():
        now = utc_now()
        return purge_processed_events(session, now), purge_outbox(session, now)


NOTICE = timedelta(days=30)  # the warning comes this long before the erasure
MONTH = timedelta(days=365.25 / 12)
# People warned or erased per run, so that one run holds the (SQLite) write lock briefly; the rest
# wait for the next hour (a first run on an old database may find tens of thousands).
BATCH = 500
WARN_CHUNK = 100  # warnings per transaction


def retention(
    sessions: sessionmaker[Session], settings: Settings, now: datetime, batch: int = BATCH
) -> tuple[int, int]:
    """Warn who will be erased in a month, erase who was warned a month ago and stayed silent,
    `batch` people of each at most. Short transactions (a hundred warnings, or one erasure,
    each, re-checked inside), so chat events are never kept waiting long. Returns (warned, erased)."""
    period = MONTH * settings.retention_months
    with read_sessions(sessions)() as session, session.begin():
        warn = [uid for uid, _ in privacy.to_warn(session, now, period, NOTICE)[:batch]]
        erase = privacy.to_erase(session, now, period, NOTICE)[:batch]
    warned = 0
    for start in range(0, len(warn), WARN_CHUNK):
        with sessions() as session, session.begin():
            warned += _warn(session, settings, now, period, warn[start : start + WARN_CHUNK])
    erased = 0
    for user_id in erase:
        with sessions() as session, session.begin():
            if privacy.to_erase(session, now, period, NOTICE, only=[user_id]):
                erase_person(SqlStore(session), user_id, now, settings.default_locale)
                erased += 1
    return warned, erased


def _warn(
    session: Session, settings: Settings, now: datetime, period: timedelta, user_ids: list[int]
) -> int:
    store = SqlStore(session)
    warned = 0
    for user_id, last in privacy.to_warn(session, now, period, NOTICE, only=user_ids):
        person = store.people.user(user_id)
        if person is None:
            continue
        tr = translator(locale_of(person, settings.default_locale))
        erase_on = tr.date(max(last + period, now + NOTICE).date(), "long")
        key = f"retention-warning:{user_id}:{int(last.timestamp())}"
        enqueue(session, user_id, key, retention_warning(tr, erase_on), now)
        privacy.mark_warned(session, user_id, now)
        warned += 1
    return warned


async def maintenance_task(ctx: ServeContext) -> None:
    """Once an hour, forget old idempotency keys and finished notifications (keeps tables small),
    and apply the retention of personal data. Both run in a worker thread, so the bot and the
    pages never wait for them."""
    while not ctx.stopping.is_set():
        try:
            keys, messages = await asyncio.to_thread(purge, ctx.sessions)
            if keys or messages:
                log.info("purged %d event keys and %d finished notifications", keys, messages)
            warned, erased = await asyncio.to_thread(
                retention, ctx.sessions, ctx.settings, utc_now()
            )
            if warned or erased:
                log.info("retention: %d people warned, %d erased", warned, erased)
        except Exception:
            log.exception("maintenance failed; will try again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stopping.wait(), INTERVAL_SECONDS)


if maintenance_task not in BACKGROUND_TASKS:
    BACKGROUND_TASKS.append(maintenance_task)
