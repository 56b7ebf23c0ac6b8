"""The inbox of received updates (`bot.telegram.inbox.UpdateInbox` on SQL).

An update is stored before the channel is told it arrived, and deleted once handled; each call is
one short transaction (a poll's whole batch in one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import insert_or
from storage.models import InboxUpdate

INBOX = cast(Table, InboxUpdate.__table__)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlInbox:
    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], datetime] = _now
    ) -> None:
        self.sessions = sessions
        self.clock = clock

    def put(self, channel: str, updates: Sequence[dict[str, Any]]) -> None:
        if not updates:
            return
        now = self.clock()
        rows = [
            {
                "channel": channel,
                "update_id": int(update["update_id"]),
                "payload": update,
                "received_at": now,
            }
            for update in updates
        ]
        with self.sessions.begin() as session:
            statement = insert_or(session, INBOX).on_conflict_do_nothing(
                index_elements=[INBOX.c.channel, INBOX.c.update_id]
            )
            session.execute(statement, rows)

    def pending(self, channel: str) -> list[dict[str, Any]]:
        with self.sessions.begin() as session:
            query = (
                select(INBOX.c.payload)
                .where(INBOX.c.channel == channel)
                .order_by(INBOX.c.update_id)
            )
            return [dict(payload) for payload in session.scalars(query)]

    def done(self, channel: str, update_ids: Sequence[int]) -> None:
        if not update_ids:
            return
        with self.sessions.begin() as session:
            session.execute(
                delete(INBOX).where(
                    INBOX.c.channel == channel, INBOX.c.update_id.in_(list(update_ids))
                )
            )
