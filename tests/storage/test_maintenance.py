"""Idempotency keys are kept for the redelivery window, then forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.db import create_engine, session_factory
from storage.maintenance import purge_processed_events
from storage.models import ProcessedEvent

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_purge_keeps_recent_keys(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(ProcessedEvent(key="old", processed_at=NOW - timedelta(days=8)))
        session.add(ProcessedEvent(key="recent", processed_at=NOW - timedelta(days=6)))
    async with sessions() as session, session.begin():
        assert await purge_processed_events(session, NOW) == 1
    async with sessions() as session:
        assert (await session.scalars(select(ProcessedEvent.key))).all() == ["recent"]
    await engine.dispose()
