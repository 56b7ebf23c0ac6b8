"""Housekeeping queries: what can be forgotten, and when."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import OutboxMessage, ProcessedEvent
from storage.outbox import FINISHED

# Telegram keeps undelivered updates for 24 hours; a week of idempotency keys covers every redelivery.
PROCESSED_EVENTS_KEPT = timedelta(days=7)
# Delivered or undeliverable notifications are kept a month for support questions, then forgotten
# (minimal data: they hold message texts). Their keys then no longer block a re-send of the same key,
# which is fine: every key names a dated occurrence (week, day, request id).
OUTBOX_KEPT = timedelta(days=30)


def purge_processed_events(session: Session, now: datetime) -> int:
    """Delete idempotency keys older than the redelivery window; returns how many went."""
    result = session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.processed_at < now - PROCESSED_EVENTS_KEPT)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_outbox(session: Session, now: datetime) -> int:
    """Delete finished outbox rows (sent or undeliverable) older than a month."""
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(FINISHED),
            OutboxMessage.created_at < now - OUTBOX_KEPT,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
