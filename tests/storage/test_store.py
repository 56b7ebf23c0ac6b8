"""Contract of the SQL store, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.events import Event, Sender
from dialogs.ports import NewCollectivite, ScoreRecord
from dialogs.replies import Button, Reply
from ecoclic.service import ChatService
from referential.models import Referential
from storage import peers
from storage.db import create_engine, session_factory
from storage.models import AnswerHistory, Conversation, OutboxMessage, ScoreSnapshot, User
from storage.store import SqlStore

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    await engine.dispose()


async def make_user(session: AsyncSession, external_id: str = "1") -> User:
    user = User(
        channel="test",
        external_id=external_id,
        chat_id=external_id,
        display_name="U",
        language_code="fr",
        locale=None,
        reminders_paused=False,
        unreachable=False,
        created_at=NOW,
    )
    session.add(user)
    await session.flush()
    return user


def new(siret: str = "21310555400017", population: int = 1200) -> NewCollectivite:
    return NewCollectivite(
        siret=siret, kind="commune", name="Test", departement="31", population=population
    )


async def test_collectivite_membership_and_answers(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        store = SqlStore(session)
        user = await make_user(session)
        created = await store.create_collectivite(new(), user.id, NOW)
        member = await store.membership(user.id)
        assert member is not None and member.is_admin and member.collectivite == created
        assert await store.find_collectivite_by_siret("21310555400017") == created
        assert await store.set_answer(
            created.id, "GOV-01", "non", referential_version="1", user_id=user.id, now=NOW
        )
        assert not await store.set_answer(
            created.id, "GOV-01", "non", referential_version="1", user_id=user.id, now=NOW
        )
        assert await store.set_answer(
            created.id, "GOV-01", "oui", referential_version="1", user_id=user.id, now=NOW
        )
        assert await store.set_answer(
            created.id, "GOV-02", "nsp", referential_version="1", user_id=user.id, now=NOW
        )
        assert await store.set_answer(
            created.id, "GOV-02", None, referential_version="1", user_id=user.id, now=NOW
        )
        assert await store.answers(created.id) == {"GOV-01": "oui"}
        history = (
            await session.scalars(select(AnswerHistory.value).order_by(AnswerHistory.id))
        ).all()
        assert history == ["non", "oui", "nsp", None]
        assert await store.admin_ids(created.id) == [user.id]


async def test_duplicate_siret_refused_by_database(db: async_sessionmaker[AsyncSession]) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        async with db() as session, session.begin():
            store = SqlStore(session)
            user = await make_user(session)
            await store.create_collectivite(new(), user.id, NOW)
            other = await make_user(session, "2")
            await store.create_collectivite(new(), other.id, NOW)


async def test_scores_history_and_peer_bins(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        store = SqlStore(session)
        ids = []
        for i, siret in enumerate(["21310555400017", "21600057000012", "1", "2", "3", "4"]):
            user = await make_user(session, str(i))
            created = await store.create_collectivite(new(siret, population=800), user.id, NOW)
            ids.append((created.id, user.id))
        for n, (cid, uid) in enumerate(ids):
            await store.record_score(cid, ScoreRecord(10 * n, "E", 1, 30), user_id=uid, now=NOW)
        stats = await peers.stats(session, "commune", 900, 25)
        assert stats is not None
        assert (stats.count, stats.q1, stats.median, stats.q3, stats.below, stats.above) == (
            6,
            10,
            20,
            40,
            3,
            3,
        )
        # Moving one collectivité keeps the count right (incremental update, not a rescan).
        await store.record_score(
            ids[0][0], ScoreRecord(90, "A", 30, 30), user_id=ids[0][1], now=NOW
        )
        await store.record_score(
            ids[0][0], ScoreRecord(90, "A", 30, 30), user_id=ids[0][1], now=NOW
        )
        stats = await peers.stats(session, "commune", 900, 25)
        assert stats is not None and stats.count == 6 and stats.above == 4
        assert await session.scalar(select(func.count()).select_from(ScoreSnapshot)) == 7
        # Another size band has no peers: nothing shown.
        assert await peers.stats(session, "commune", 60_000, 25) is None


def test_population_bands() -> None:
    assert [
        peers.band_of(p)
        for p in (1, 499, 500, 1999, 2000, 9999, 10_000, 49_999, 50_000, 99_999, 100_000)
    ] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]


async def test_outbox_enqueue_is_idempotent(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        store = SqlStore(session)
        user = await make_user(session)
        reply = Reply("Bonjour", ((Button("OK", "x:1"),),))
        assert await store.enqueue(user.id, "k1", reply, NOW)
        assert not await store.enqueue(user.id, "k1", reply, NOW)
        row = (await session.scalars(select(OutboxMessage))).one()
        assert Reply.from_json(row.payload) == reply
        assert row.next_attempt_at == NOW


async def test_timestamps_are_aware_utc(db: async_sessionmaker[AsyncSession]) -> None:
    paris = NOW.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    async with db() as session, session.begin():
        user = await make_user(session)
        user.created_at = paris + timedelta(hours=1)
    async with db() as session:
        loaded = await session.get(User, user.id)
        assert loaded is not None and loaded.created_at == NOW + timedelta(hours=1)
        assert loaded.created_at.tzinfo is not None


async def test_concurrent_events_of_one_conversation_never_overwrite(
    db: async_sessionmaker[AsyncSession], referential: Referential
) -> None:
    """Two processes handle events of the same user at once: both land, versions count both."""
    service_a = ChatService(db, referential)
    service_b = ChatService(db, referential)
    sender = Sender("test", "42", "42", "Zoé", "fr")
    await service_a.handle(sender, Event.start())
    results = await asyncio.gather(
        *(
            svc.handle(sender, Event.cmd("aide", event_id=f"e{i}"))
            for i, svc in enumerate([service_a, service_b] * 3)
        )
    )
    assert all(r.replies for r in results)
    async with db() as session:
        conversation = (await session.scalars(select(Conversation))).one()
        assert conversation.version == 7
