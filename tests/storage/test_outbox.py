"""Outbox claims on SQLite and PostgreSQL: leases, fencing, re-claim after a crash, SKIP LOCKED."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.replies import Button, Reply
from storage import outbox
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, User

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


@pytest.fixture
def db(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def seed(db: sessionmaker[Session], count: int, users: int = 1) -> list[int]:
    with db() as session, session.begin():
        ids = []
        for n in range(users):
            user = User(
                channel="telegram",
                external_id=str(1000 + n),
                chat_id=str(1000 + n),
                display_name="U",
                language_code="fr",
                locale=None,
                reminders_paused=False,
                unreachable=False,
                created_at=NOW,
            )
            session.add(user)
            session.flush()
            ids.append(user.id)
        for n in range(count):
            reply = Reply(f"message {n}", ((Button("Accepter", f"at:a:{n}"),),))
            assert outbox.enqueue(session, ids[n % users], f"k:{n}", reply, NOW)
        assert not outbox.enqueue(session, ids[0], "k:0", Reply("again"), NOW)
    return ids


def claim(db: sessionmaker[Session], now: datetime, limit: int = 10) -> list[outbox.Claimed]:
    with db() as session, session.begin():
        return outbox.claim(session, channel="telegram", now=now, limit=limit, lease=LEASE)


def statuses(db: sessionmaker[Session]) -> dict[str, int]:
    with db() as session:
        return outbox.counts(session)


def test_claim_leases_oldest_first_and_marks(db: sessionmaker[Session]) -> None:
    seed(db, 5)
    first = claim(db, NOW, limit=3)
    assert [c.key for c in first] == ["k:0", "k:1", "k:2"]
    assert first[0].reply.buttons[0][0].data == "at:a:0" and first[0].attempts == 1
    assert [c.key for c in claim(db, NOW, limit=10)] == ["k:3", "k:4"]
    assert claim(db, NOW) == []
    with db() as session, session.begin():
        assert outbox.mark_sent(session, first[0], NOW)
        assert not outbox.mark_sent(session, first[0], NOW)  # once only
        assert outbox.mark_retry(session, first[1], NOW + timedelta(seconds=30), "500")
        assert outbox.mark_undeliverable(session, first[2], "403 blocked", unreachable=True)
    assert statuses(db) == {"sent": 1, "pending": 1, "sending": 2, "undeliverable": 1}
    assert claim(db, NOW + timedelta(seconds=29)) == []
    again = claim(db, NOW + timedelta(seconds=30))
    assert [(c.key, c.attempts) for c in again] == [("k:1", 2)]
    with db() as session:
        blocked = session.scalar(
            select(User.unreachable)
            .join(OutboxMessage, OutboxMessage.user_id == User.id)
            .where(OutboxMessage.key == "k:2")
        )
        assert blocked is True


def test_expired_lease_is_reclaimed_and_old_holder_is_fenced(
    db: sessionmaker[Session],
) -> None:
    seed(db, 2)
    crashed = claim(db, NOW)
    assert claim(db, NOW + LEASE - timedelta(seconds=1)) == []
    later = NOW + LEASE + timedelta(seconds=1)
    taken = claim(db, later)
    assert [c.key for c in taken] == ["k:0", "k:1"] and taken[0].attempts == 2
    with db() as session, session.begin():
        assert not outbox.mark_sent(session, crashed[0], later)  # lease lost
        assert outbox.mark_sent(session, taken[0], later)
        assert outbox.release(session, taken[1])
    back = claim(db, later)
    assert [(c.key, c.attempts) for c in back] == [("k:1", 2)]  # release gave the attempt back


def test_concurrent_claims_never_share_a_row(db: sessionmaker[Session], db_url: str) -> None:
    seed(db, 300, users=30)
    engines = [create_engine(db_url) for _ in range(4)]
    factories = [session_factory(engine) for engine in engines]

    start = threading.Barrier(len(factories))

    def worker(factory: sessionmaker[Session]) -> list[str]:
        keys: list[str] = []
        start.wait()  # four threads, four connections, claiming at the same time
        while batch := claim(factory, NOW, limit=7):
            keys += [c.key for c in batch]
        return keys

    try:
        with ThreadPoolExecutor(len(factories)) as pool:
            results = list(pool.map(worker, factories))
    finally:
        for engine in engines:
            engine.dispose()
    everything = [key for keys in results for key in keys]
    assert sorted(everything) == sorted(f"k:{n}" for n in range(300))
    if "postgresql" in db_url:
        assert sum(1 for keys in results if keys) >= 2  # the work was shared
