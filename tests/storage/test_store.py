"""What only the SQL store does, on SQLite and (when configured) PostgreSQL: the schema's own
refusals, peer statistics, timestamp columns. The contract every backend keeps (the fake too) is in
tests/storage/test_contract_*.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.records import NewCollectivite, ScoreRecord
from storage import peers
from storage.db import create_engine, session_factory
from storage.models import ScoreSnapshot, User
from storage.store import SqlStore

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def make_user(session: Session, external_id: str = "1") -> User:
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
    session.flush()
    return user


def new(siret: str = "21310555400017", population: int = 1200) -> NewCollectivite:
    return NewCollectivite(
        siret=siret, kind="commune", name="Test", departement="31", population=population
    )


def test_duplicate_siret_refused_by_database(db: sessionmaker[Session]) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db() as session, session.begin():
        store = SqlStore(session)
        user = make_user(session)
        store.people.create_collectivite(new(), user.id, NOW)
        other = make_user(session, "2")
        store.people.create_collectivite(new(), other.id, NOW)


def test_scores_history_and_peer_bins(db: sessionmaker[Session]) -> None:
    with db() as session, session.begin():
        store = SqlStore(session)
        ids = []
        for i, siret in enumerate(["21310555400017", "21600057000012", "1", "2", "3", "4"]):
            user = make_user(session, str(i))
            created = store.people.create_collectivite(new(siret, population=800), user.id, NOW)
            ids.append((created.id, user.id))
        for n, (cid, uid) in enumerate(ids):
            store.answers.record_score(cid, ScoreRecord(10 * n, "E", 1, 30), user_id=uid, now=NOW)
        stats = peers.stats(session, "commune", 900, 25)
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
        store.answers.record_score(
            ids[0][0], ScoreRecord(90, "A", 30, 30), user_id=ids[0][1], now=NOW
        )
        store.answers.record_score(
            ids[0][0], ScoreRecord(90, "A", 30, 30), user_id=ids[0][1], now=NOW
        )
        stats = peers.stats(session, "commune", 900, 25)
        assert stats is not None and stats.count == 6 and stats.above == 4
        assert session.scalar(select(func.count()).select_from(ScoreSnapshot)) == 7
        # Another size band has no peers: nothing shown.
        assert peers.stats(session, "commune", 60_000, 25) is None


def test_population_bands() -> None:
    assert [
        peers.band_of(p)
        for p in (1, 499, 500, 1999, 2000, 9999, 10_000, 49_999, 50_000, 99_999, 100_000)
    ] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]


def test_timestamps_are_aware_utc(db: sessionmaker[Session]) -> None:
    paris = NOW.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    with db() as session, session.begin():
        user = make_user(session)
        user.created_at = paris + timedelta(hours=1)
    with db() as session:
        loaded = session.get(User, user.id)
        assert loaded is not None and loaded.created_at == NOW + timedelta(hours=1)
        assert loaded.created_at.tzinfo is not None
