"""The unit of work around one event, on SQL: `SqlDatabase` implements `dialogs.ports.Database`.

A `SqlTransaction` is one session inside one transaction: the store, plus what the service needs
around the engine (the processed-event dedupe, the user upsert, the versioned conversation).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from dialogs.events import Sender
from dialogs.ports import Conflict, Transaction
from dialogs.records import Conversation, UserInfo
from storage.models import Conversation as ConversationRow
from storage.models import ProcessedEvent, User
from storage.people import rowcount, user_info
from storage.store import SqlStore
from storage.transactions import run_transaction

T = TypeVar("T")
NAME_MAX = 128  # users.display_name


class SqlTransaction:
    """Implements `dialogs.ports.Transaction` in one session; the caller commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._store = SqlStore(session)

    @property
    def store(self) -> SqlStore:
        return self._store

    def claim_event(self, event_id: str, now: datetime) -> bool:
        if self.session.get(ProcessedEvent, event_id) is not None:
            return False
        self.session.add(ProcessedEvent(key=event_id, processed_at=now))
        self.session.flush()  # a concurrent claim of the same id fails on the primary key
        return True

    def user_for(self, sender: Sender, now: datetime) -> UserInfo:
        user = self._user_row(sender, now)
        return user_info(user)

    def _user_row(self, sender: Sender, now: datetime) -> User:
        name = sender.display_name[:NAME_MAX]
        user = self.session.scalar(
            select(User).where(
                User.channel == sender.channel, User.external_id == sender.external_id
            )
        )
        if user is None:
            user = User(
                channel=sender.channel,
                external_id=sender.external_id,
                chat_id=sender.chat_id,
                display_name=name,
                language_code=(sender.language_code or None),
                locale=None,
                reminders_paused=False,
                unreachable=False,
                created_at=now,
            )
            self.session.add(user)
            self.session.flush()
            return user
        if name and user.display_name != name:
            user.display_name = name
        if sender.language_code and user.language_code != sender.language_code:
            user.language_code = sender.language_code
        if user.chat_id != sender.chat_id:
            user.chat_id = sender.chat_id
        if user.unreachable:
            user.unreachable = False  # they wrote to us: they unblocked the bot
        self.session.flush()
        return user

    def conversation(self, user_id: int, now: datetime) -> Conversation:
        row = self.session.get(ConversationRow, user_id)
        if row is None:
            row = ConversationRow(user_id=user_id, state={}, version=0, updated_at=now)
            self.session.add(row)
            self.session.flush()
        # A copy: the engine mutates its state in place, never the ORM's loaded value.
        return Conversation(state=copy.deepcopy(row.state), version=row.version)

    def save_conversation(
        self, user_id: int, state: dict[str, object], version: int, now: datetime
    ) -> None:
        result = self.session.execute(
            update(ConversationRow)
            .where(ConversationRow.user_id == user_id, ConversationRow.version == version)
            .values(state=state, version=version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise Conflict(f"conversation of user {user_id} saved by someone else")


class SqlDatabase:
    """Implements `dialogs.ports.Database`: each `run` is one transaction, retried when transient."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        # SQLite has one writer at a time: more than one worker thread would only queue on its
        # write lock. PostgreSQL serves several units of work at once.
        bind = sessions.kw.get("bind")
        sqlite = bind is not None and bind.dialect.name == "sqlite"
        self.workers = 1 if sqlite else 4

    def run(self, work: Callable[[Transaction], T]) -> T:
        def in_session(session: Session) -> T:
            return work(SqlTransaction(session))

        return run_transaction(self.sessions, in_session)
