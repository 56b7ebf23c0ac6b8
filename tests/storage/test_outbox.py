"""Outbox claims on SQLite and PostgreSQL: leases, fencing, re-claim after a crash, SKIP LOCKED."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.replies import Button, Reply
from storage import outbox
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, User

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    await engine.dispose()


async def seed(db: async_sessionmaker[AsyncSession], count: int, users: int = 1) -> list[int]:
    async with db() as session, session.begin():
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
            await session.flush()
            ids.append(user.id)
        for n in range(count):
            reply = Reply(f"message {n}", ((Button("Accepter", f"at:a:{n}"),),))
            assert await outbox.enqueue(session, ids[n % users], f"k:{n}", reply, NOW)
        assert not await outbox.enqueue(session, ids[0], "k:0", Reply("again"), NOW)
    return ids


async def claim(
    db: async_sessionmaker[AsyncSession], now: datetime, limit: int = 10
) -> list[outbox.Claimed]:
    async with db() as session, session.begin():
        return await outbox.claim(session, channel="telegram", now=now, limit=limit, lease=LEASE)


async def statuses(db: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with db() as session:
        return await outbox.counts(session)


async def test_claim_leases_oldest_first_and_marks(db: async_sessionmaker[AsyncSession]) -> None:
    await seed(db, 5)
    first = await claim(db, NOW, limit=3)
    assert [c.key for c in first] == ["k:0", "k:1", "k:2"]
    assert first[0].reply.buttons[0][0].data == "at:a:0" and first[0].attempts == 1
    assert [c.key for c in await claim(db, NOW, limit=10)] == ["k:3", "k:4"]
    assert await claim(db, NOW) == []
    async with db() as session, session.begin():
        assert await outbox.mark_sent(session, first[0], NOW)
        assert not await outbox.mark_sent(session, first[0], NOW)  # once only
        assert await outbox.mark_retry(session, first[1], NOW + timedelta(seconds=30), "500")
        assert await outbox.mark_undeliverable(session, first[2], "403 blocked", unreachable=True)
    assert await statuses(db) == {"sent": 1, "pending": 1, "sending": 2, "undeliverable": 1}
    assert await claim(db, NOW + timedelta(seconds=29)) == []
    again = await claim(db, NOW + timedelta(seconds=30))
    assert [(c.key, c.attempts) for c in again] == [("k:1", 2)]
    async with db() as session:
        blocked = await session.scalar(
            select(User.unreachable)
            .join(OutboxMessage, OutboxMessage.user_id == User.id)
            .where(OutboxMessage.key == "k:2")
        )
        assert blocked is True


async def test_expired_lease_is_reclaimed_and_old_holder_is_fenced(
    db: async_sessionmaker[AsyncSession],
) -> None:
    await seed(db, 2)
    crashed = await claim(db, NOW)
    assert await claim(db, NOW + LEASE - timedelta(seconds=1)) == []
    later = NOW + LEASE + timedelta(seconds=1)
    taken = await claim(db, later)
    assert [c.key for c in taken] == ["k:0", "k:1"] and taken[0].attempts == 2
    async with db() as session, session.begin():
        assert not await outbox.mark_sent(session, crashed[0], later)  # lease lost
        assert await outbox.mark_sent(session, taken[0], later)
        assert await outbox.release(session, taken[1])
    back = await claim(db, later)
    assert [(c.key, c.attempts) for c in back] == [("k:1", 2)]  # release gave the attempt back


async def test_concurrent_claims_never_share_a_row(
    db: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    await seed(db, 300, users=30)
    engines = [create_engine(db_url) for _ in range(4)]
    factories = [session_factory(engine) for engine in engines]

    async def worker(factory: async_sessionmaker[AsyncSession]) -> list[str]:
        keys: list[str] = []
        while batch := await claim(factory, NOW, limit=7):
            keys += [c.key for c in batch]
            await asyncio.sleep(0)
        return keys

    try:
        results = await asyncio.gather(*(worker(f) for f in factories))
    finally:
        for engine in engines:
            await engine.dispose()
    everything = [key for keys in results for key in keys]
    assert sorted(everything) == sorted(f"k:{n}" for n in range(300))
    if "postgresql" in db_url:
        assert sum(1 for keys in results if keys) >= 2  # the work was shared
