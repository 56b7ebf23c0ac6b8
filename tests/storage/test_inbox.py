"""The inbox of received updates on SQLite and PostgreSQL, and the outbox taking back its claims."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.replies import Reply
from storage import outbox
from storage.db import create_engine, session_factory
from storage.inbox import SqlInbox
from storage.models import OutboxMessage, User

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def _update(update_id: int, text: str = "oui") -> dict[str, object]:
    return {"update_id": update_id, "message": {"text": text, "chat": {"id": 7}}}


def test_updates_are_kept_in_order_until_done(db: sessionmaker[Session]) -> None:
    inbox = SqlInbox(db, clock=lambda: NOW)
    inbox.put("telegram:1", [_update(12), _update(10)])
    inbox.put("telegram:1", [_update(10, "changed"), _update(11)])  # redelivered: ignored
    inbox.put("telegram:2", [_update(10)])  # another bot: its own updates
    pending = inbox.pending("telegram:1")
    assert [u["update_id"] for u in pending] == [10, 11, 12]
    assert pending[0] == _update(10)
    inbox.done("telegram:1", [10, 12])
    inbox.done("telegram:1", [])
    assert [u["update_id"] for u in inbox.pending("telegram:1")] == [11]
    assert [u["update_id"] for u in inbox.pending("telegram:2")] == [10]


def _seed(db: sessionmaker[Session], count: int) -> None:
    with db.begin() as session:
        user = User(
            channel="telegram", external_id="5", chat_id="5", display_name="U",
            language_code="fr", locale=None, reminders_paused=False, unreachable=False,
            created_at=NOW,
        )  # fmt: skip
        session.add(user)
        session.flush()
        for n in range(count):
            outbox.enqueue(session, user.id, f"k{n}", Reply(f"message {n}"), NOW)


def test_a_restarted_dispatcher_takes_its_claims_back_at_once(db: sessionmaker[Session]) -> None:
    _seed(db, 3)
    lease = timedelta(minutes=2)
    with db.begin() as session:
        mine = outbox.claim(
            session, channel="telegram", now=NOW, limit=2, lease=lease, owner="host-a"
        )
        other = outbox.claim(
            session, channel="telegram", now=NOW, limit=1, lease=lease, owner="host-b"
        )
    assert len(mine) == 2 and len(other) == 1
    with db.begin() as session:  # host-a restarted: its two rows are due again, now
        assert outbox.take_back(session, channel="telegram", owner="host-a") == 2
        again = outbox.claim(
            session, channel="telegram", now=NOW, limit=10, lease=lease, owner="host-a"
        )
    assert sorted(item.key for item in again) == sorted(item.key for item in mine)
    assert all(item.attempts == 1 for item in again)  # taken back untried
    with db() as session:
        owners = dict(session.execute(select(OutboxMessage.key, OutboxMessage.claimed_by)).all())
    assert owners[other[0].key] == "host-b"  # another instance's claim is left alone


def test_a_closed_inbox_opens_its_connection_again(db: sessionmaker[Session]) -> None:
    inbox = SqlInbox(db, clock=lambda: NOW)
    inbox.put("telegram:1", [_update(1)])
    inbox.close()  # the channel stopped…
    inbox.put("telegram:1", [_update(2)])  # …and started again with the same inbox
    assert [u["update_id"] for u in inbox.pending("telegram:1")] == [1, 2]
    inbox.close()
