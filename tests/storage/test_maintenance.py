"""Idempotency keys are kept for the redelivery window, then forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.db import create_engine, session_factory
from storage.maintenance import purge_outbox, purge_processed_events
from storage.models import OutboxMessage, ProcessedEvent, User

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_purge_keeps_recent_keys(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    with sessions() as session, session.begin():
        session.add(ProcessedEvent(key="old", processed_at=NOW - timedelta(days=8)))
        session.add(ProcessedEvent(key="recent", processed_at=NOW - timedelta(days=6)))
    with sessions() as session, session.begin():
        assert purge_processed_events(session, NOW) == 1
    with sessions() as session:
        assert (session.scalars(select(ProcessedEvent.key))).all() == ["recent"]
    engine.dispose()


def test_purge_outbox_keeps_pending_and_recent(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    with sessions() as session, session.begin():
        user = User(
            channel="t",
            external_id="1",
            chat_id="1",
            display_name="",
            language_code=None,
            locale=None,
            reminders_paused=False,
            unreachable=False,
            created_at=NOW,
        )
        session.add(user)
        session.flush()
        for key, status, age in [
            ("old-sent", "sent", 40),
            ("old-pending", "pending", 40),
            ("old-gone", "undeliverable", 31),
            ("new-sent", "sent", 2),
        ]:
            created = NOW - timedelta(days=age)
            session.add(
                OutboxMessage(
                    key=key,
                    user_id=user.id,
                    channel="t",
                    chat_id="1",
                    payload={"text": "x"},
                    status=status,
                    attempts=1,
                    next_attempt_at=created,
                    created_at=created,
                )
            )
    with sessions() as session, session.begin():
        assert purge_outbox(session, NOW) == 2
    with sessions() as session:
        keys = set((session.scalars(select(OutboxMessage.key))).all())
        assert keys == {"old-pending", "new-sent"}
    engine.dispose()
