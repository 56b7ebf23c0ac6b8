"""The inbox of received updates (`bot.telegram.inbox.UpdateInbox` on SQL).

An update is stored before the channel is told it arrived, and deleted once handled; each call is
one short transaction (a poll's whole batch in one), on a connection the inbox keeps
(`storage.db.HeldConnection`): a poll's write costs the statement, not a pooled session around it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, delete, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import HeldConnection
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
        bind = sessions.kw.get("bind")
        assert isinstance(bind, Engine), "the inbox needs sessions bound to an engine"
        self._held = HeldConnection(bind)
        self._insert = _insert_ignoring_known(bind.dialect.name)

    def close(self) -> None:
        """Give the inbox's connection back (the process is stopping)."""
        self._held.close()

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
        with self._held.begin() as connection:
            connection.execute(self._insert, rows)

    def pending(self, channel: str) -> list[dict[str, Any]]:
        query = (
            select(INBOX.c.payload).where(INBOX.c.channel == channel).order_by(INBOX.c.update_id)
        )
        with self._held.begin() as connection:
            return [dict(payload) for payload in connection.scalars(query)]

    def done(self, channel: str, update_ids: Sequence[int]) -> None:
        if not update_ids:
            return
        with self._held.begin() as connection:
            connection.execute(
                delete(INBOX).where(
                    INBOX.c.channel == channel, INBOX.c.update_id.in_(list(update_ids))
                )
            )


def _insert_ignoring_known(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on (channel, update_id), in the engine's dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert(INBOX).on_conflict_do_nothing(index_elements=[INBOX.c.channel, INBOX.c.update_id])
