"""The transactional outbox: messages for other people, written with the change that causes them,
then claimed by a dispatcher that records what became of each.

Messages are written by `SqlOutbox.enqueue` (the engine's `store.outbox`) or in bulk by the reminder
tick, in the same transaction as the change that causes them, idempotent on `key`; `message_row` is
the one shape of a new row. A dispatcher claims a batch with one statement:

    UPDATE outbox SET status='sending', locked_until=<now + lease>, attempts=attempts+1
    WHERE id IN (SELECT id FROM outbox WHERE <due> ORDER BY next_attempt_at, id LIMIT n
                 FOR UPDATE SKIP LOCKED)
    RETURNING …

where <due> is "pending and next_attempt_at <= now" or "sending and the lease has expired" (the
dispatcher that claimed it died). On PostgreSQL, SKIP LOCKED lets several dispatchers share the table
without waiting on or double-claiming each other's rows; SQLite drops the FOR UPDATE clause and runs
the statement under its single-writer lock, which is just as exclusive.

Every later write is fenced by the lease value: a dispatcher whose lease expired (and whose rows were
re-claimed by another) cannot mark them. Delivery is therefore at-least-once with a lease, and
exactly-once in effect: the only duplicate left is a crash between Telegram accepting a message and
the commit of `mark_sent` (milliseconds; Telegram has no idempotent send to close it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session

from dialogs.ports import Gathered
from dialogs.records import ERASED_CHANNEL
from dialogs.replies import Reply
from storage.db import insert_or
from storage.models import OutboxMessage, OutboxStatus, User

MAX_ERROR = 500
__all__ = [
    "FINISHED",
    "Claimed",
    "OutboxStatus",
    "SqlOutbox",
    "claim",
    "counts",
    "enqueue",
    "gather",
    "mark_retry",
    "mark_sent",
    "mark_undeliverable",
    "message_row",
    "release",
    "take_back",
]


FINISHED = (OutboxStatus.SENT, OutboxStatus.UNDELIVERABLE)


def message_row(
    *, key: str, user_id: int, channel: str, chat_id: str, reply: Reply, now: datetime
) -> dict[str, Any]:
    """The columns of a new outbox message (for `OutboxMessage(**row)` or a bulk insert)."""
    return {
        "key": key,
        "user_id": user_id,
        "channel": channel,
        "chat_id": chat_id,
        "payload": reply.to_json(),
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def enqueue(session: Session, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
    """Insert a message for `user_id`, idempotent on `key` (a stable name of the notification).
    False when that key exists already or the user is gone (or erased). The caller commits."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    user = session.get(User, user_id)
    if user is None or user.channel == ERASED_CHANNEL:
        return False
    session.add(
        OutboxMessage(
            **message_row(
                key=key,
                user_id=user_id,
                channel=user.channel,
                chat_id=user.chat_id,
                reply=reply,
                now=now,
            )
        )
    )
    session.flush()
    return True


def _locked(session: Session, key: str) -> Any:
    """The message of `key` (id, status, created_at), locked until the caller commits on
    PostgreSQL (SQLite's single writer lock serialises the whole transaction anyway)."""
    return session.execute(
        select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.created_at)
        .where(OutboxMessage.key == key)
        .with_for_update()
    ).first()


def gather(
    session: Session,
    user_id: int,
    key: str,
    render: Callable[[datetime], Reply],
    *,
    now: datetime,
    send_at: datetime,
) -> Gathered:
    """`dialogs.ports.Outbox.gather`: one pending message per key, rewritten as news comes in.

    Two transactions gathering into a new key at once: one inserts, the other's insert does
    nothing (ON CONFLICT) and it rewrites the row the first inserted once that one commits (on
    PostgreSQL its re-read waits on the row lock). A message already claimed by a dispatcher
    (sending, sent or undeliverable) is never rewritten: GONE. The caller commits."""
    found = _locked(session, key)
    if found is None:
        user = session.get(User, user_id)
        if user is None or user.channel == ERASED_CHANNEL:
            return Gathered.GONE
        row = message_row(
            key=key,
            user_id=user_id,
            channel=user.channel,
            chat_id=user.chat_id,
            reply=render(now),
            now=now,
        )
        row["next_attempt_at"] = send_at
        inserted = session.scalar(
            insert_or(session, OutboxMessage.__table__)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.id)
        )
        if inserted is not None:
            return Gathered.QUEUED
        found = _locked(session, key)
    if found is None or found.status != OutboxStatus.PENDING:
        return Gathered.GONE
    changed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == found.id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(payload=render(found.created_at).to_json())
    )
    return Gathered.MERGED if _rowcount(changed) == 1 else Gathered.GONE


class SqlOutbox:
    """Implements `dialogs.ports.Outbox` in the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        return enqueue(self.session, user_id, key, reply, now)

    def gather(
        self,
        user_id: int,
        key: str,
        render: Callable[[datetime], Reply],
        *,
        now: datetime,
        send_at: datetime,
    ) -> Gathered:
        return gather(self.session, user_id, key, render, now=now, send_at=send_at)


@dataclass(frozen=True)
class Claimed:
    """A message this dispatcher may send until `lease_until`."""

    id: int
    key: str
    user_id: int
    chat_id: str
    payload: dict[str, Any]
    attempts: int  # including this one
    lease_until: datetime
    next_attempt_at: datetime

    @property
    def reply(self) -> Reply:
        return Reply.from_json(self.payload)


def _rowcount(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def _due(channel: str, now: datetime) -> Any:
    return and_(
        OutboxMessage.channel == channel,
        or_(
            and_(
                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
            ),
            and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < now),
        ),
    )


def claim(
    session: Session,
    *,
    channel: str,
    now: datetime,
    limit: int,
    lease: timedelta,
    owner: str | None = None,
) -> list[Claimed]:
    """Lease up to `limit` due messages of `channel`, oldest first (the caller commits); `owner`
    names the dispatcher instance, so that it can take its rows back when restarted."""
    lease_until = now + lease
    due_ids = (
        select(OutboxMessage.id)
        .where(_due(channel, now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due_ids.scalar_subquery()))
        .values(
            status=OutboxStatus.SENDING,
            locked_until=lease_until,
            attempts=OutboxMessage.attempts + 1,
            claimed_by=owner,
        )
        .returning(
            OutboxMessage.id,
            OutboxMessage.key,
            OutboxMessage.user_id,
            OutboxMessage.chat_id,
            OutboxMessage.payload,
            OutboxMessage.attempts,
            OutboxMessage.next_attempt_at,
        )
        .execution_options(synchronize_session=False)
    )
    rows = sorted(result.all(), key=lambda row: (row.next_attempt_at, row.id))
    return [
        Claimed(
            row.id,
            row.key,
            row.user_id,
            row.chat_id,
            row.payload,
            row.attempts,
            lease_until,
            row.next_attempt_at,
        )
        for row in rows
    ]


def _mine(item: Claimed) -> Any:
    return and_(
        OutboxMessage.id == item.id,
        OutboxMessage.status == OutboxStatus.SENDING,
        OutboxMessage.locked_until == item.lease_until,
    )


def _fenced(session: Session, item: Claimed, **values: Any) -> bool:
    result = session.execute(
        update(OutboxMessage)
        .where(_mine(item))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def mark_sent(session: Session, item: Claimed, now: datetime) -> bool:
    """False when the lease was lost (another dispatcher may have sent it too: logged by caller)."""
    return _fenced(
        session, item, status=OutboxStatus.SENT, sent_at=now, locked_until=None, last_error=None
    )


def mark_retry(session: Session, item: Claimed, at: datetime, error: str) -> bool:
    return _fenced(
        session,
        item,
        status=OutboxStatus.PENDING,
        next_attempt_at=at,
        locked_until=None,
        last_error=error[:MAX_ERROR],
    )


def mark_undeliverable(session: Session, item: Claimed, error: str, *, unreachable: bool) -> bool:
    """Never retried. `unreachable`: the person blocked the bot (cleared when they write again)."""
    done = _fenced(
        session,
        item,
        status=OutboxStatus.UNDELIVERABLE,
        locked_until=None,
        last_error=error[:MAX_ERROR],
    )
    if done and unreachable:
        session.execute(
            update(User)
            .where(User.id == item.user_id)
            .values(unreachable=True)
            .execution_options(synchronize_session=False)
        )
    return done


def release(session: Session, item: Claimed, at: datetime | None = None) -> bool:
    """Give a claimed message back untried (shutdown, lease running out, chat paused)."""
    return _fenced(
        session,
        item,
        status=OutboxStatus.PENDING,
        locked_until=None,
        attempts=OutboxMessage.attempts - 1,
        next_attempt_at=at or item.next_attempt_at,
    )


def take_back(session: Session, *, channel: str, owner: str) -> int:
    """Give back, untried, the rows `owner` claimed before it was restarted: they are sent at once
    rather than after their lease (the previous run of `owner` is gone, nobody else holds them)."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == owner,
        )
        .values(
            status=OutboxStatus.PENDING,
            locked_until=None,
            claimed_by=None,
            attempts=OutboxMessage.attempts - 1,
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def counts(session: Session, channel: str | None = None) -> dict[str, int]:
    """Messages per status (for logs, tests and the benchmark)."""
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if channel is not None:
        query = query.where(OutboxMessage.channel == channel)
    return {status: count for status, count in (session.execute(query)).all()}
