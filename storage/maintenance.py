"""Housekeeping queries: what can be forgotten, and when."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedEvent

# Telegram keeps undelivered updates for 24 hours; a week of idempotency keys covers every redelivery.
PROCESSED_EVENTS_KEPT = timedelta(days=7)


async def purge_processed_events(session: AsyncSession, now: datetime) -> int:
    """Delete idempotency keys older than the redelivery window; returns how many went."""
    result = await session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.processed_at < now - PROCESSED_EVENTS_KEPT)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
