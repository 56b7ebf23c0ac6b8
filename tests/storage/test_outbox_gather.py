"""`Outbox.gather` on SQLite and PostgreSQL: one pending message per key, rewritten with what came
in since it was queued; a message a dispatcher claimed is never rewritten (issue 15, item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from threading import Barrier

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.ports import Gathered
from dialogs.replies import Reply
from storage import outbox
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, User
from tests.storage.test_outbox import LEASE, NOW, claim

SEND_AT = NOW + timedelta(hours=7)


@pytest.fixture
def db(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def person(db: sessionmaker[Session]) -> int:
    with db() as session, session.begin():
        user = User(
            channel="telegram",
            external_id="1000",
            chat_id="1000",
            display_name="Alice",
            language_code="fr",
            locale=None,
            reminders_paused=False,
            unreachable=False,
            created_at=NOW,
        )
        session.add(user)
        session.flush()
        return user.id


def gather(db: sessionmaker[Session], user_id: int, key: str, now: datetime) -> Gathered:
    with db() as session, session.begin():
        return outbox.gather(
            session,
            user_id,
            key,
            lambda first: Reply(f"since {first:%H:%M}, at {now:%H:%M}"),
            now=now,
            send_at=SEND_AT,
        )


def rows(db: sessionmaker[Session]) -> list[tuple[str, str, str, datetime]]:
    with db() as session:
        found = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(r.key, r.payload["text"], r.status, r.next_attempt_at) for r in found]


def test_one_pending_message_per_key_says_more_until_it_goes_out(
    db: sessionmaker[Session],
) -> None:
    uid = person(db)
    assert gather(db, uid, "closed:1", NOW) is Gathered.QUEUED
    assert rows(db) == [("closed:1", "since 10:00, at 10:00", "pending", SEND_AT)]
    assert claim(db, NOW + timedelta(hours=1)) == []  # not due before SEND_AT
    assert gather(db, uid, "closed:1", NOW + timedelta(hours=2)) is Gathered.MERGED
    assert rows(db) == [("closed:1", "since 10:00, at 12:00", "pending", SEND_AT)]
    (claimed,) = claim(db, SEND_AT)
    assert claimed.reply.text == "since 10:00, at 12:00"
    assert gather(db, uid, "closed:1", SEND_AT) is Gathered.GONE  # being sent: left alone
    with db() as session, session.begin():
        assert outbox.mark_sent(session, claimed, SEND_AT)
    assert gather(db, uid, "closed:1", SEND_AT + LEASE) is Gathered.GONE
    assert [r[1:3] for r in rows(db)] == [("since 10:00, at 12:00", "sent")]
    assert gather(db, uid, "closed:2", SEND_AT + LEASE) is Gathered.QUEUED


def test_nobody_to_tell_writes_nothing(db: sessionmaker[Session]) -> None:
    assert gather(db, 999, "closed:x", NOW) is Gathered.GONE
    assert rows(db) == []


def test_concurrent_gathers_leave_one_row(db: sessionmaker[Session], db_url: str) -> None:
    uid = person(db)
    start = Barrier(4)

    def one(n: int) -> Gathered:
        start.wait()
        return gather(db, uid, "closed:race", NOW + timedelta(minutes=n))

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, range(4)))
    assert results.count(Gathered.QUEUED) == 1
    assert results.count(Gathered.MERGED) == 3
    ((key, _text, status, _at),) = rows(db)
    assert (key, status) == ("closed:race", "pending")
