"""The unit of work around one event, on SQL: `SqlDatabase` implements `dialogs.ports.Database`.

A `SqlTransaction` is one session inside one transaction: the store, plus what the service needs
around the engine (the processed-event dedupe, the user upsert, the versioned conversation).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._store = SqlStore(session)

    @property
    def store(self) -> SqlStore:
        return self._store

    async def claim_event(self, event_id: str, now: datetime) -> bool:
        if await self.session.get(ProcessedEvent, event_id) is not None:
            return False
        self.session.add(ProcessedEvent(key=event_id, processed_at=now))
        await self.session.flush()  # a concurrent claim of the same id fails on the primary key
        return True

    async def user_for(self, sender: Sender, now: datetime) -> UserInfo:
        user = await self._user_row(sender, now)
        return user_info(user)

    async def _user_row(self, sender: Sender, now: datetime) -> User:
        name = sender.display_name[:NAME_MAX]
        user = await self.session.scalar(
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
            await self.session.flush()
            return user
        if name and user.display_name != name:
            user.display_name = name
        if sender.language_code and user.language_code != sender.language_code:
            user.language_code = sender.language_code
        if user.chat_id != sender.chat_id:
            user.chat_id = sender.chat_id
        if user.unreachable:
            user.unreachable = False  # they wrote to us: they unblocked the bot
        await self.session.flush()
        return user

    async def conversation(self, user_id: int, now: datetime) -> Conversation:
        row = await self.session.get(ConversationRow, user_id)
        if row is None:
            row = ConversationRow(user_id=user_id, state={}, version=0, updated_at=now)
            self.session.add(row)
            await self.session.flush()
        # A copy: the engine mutates its state in place, never the ORM's loaded value.
        return Conversation(state=copy.deepcopy(row.state), version=row.version)

    async def save_conversation(
        self, user_id: int, state: dict[str, object], version: int, now: datetime
    ) -> None:
        result = await self.session.execute(
            update(ConversationRow)
            .where(ConversationRow.user_id == user_id, ConversationRow.version == version)
            .values(state=state, version=version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise Conflict(f"conversation of user {user_id} saved by someone else")


class SqlDatabase:
    """Implements `dialogs.ports.Database`: each `run` is one transaction, retried when transient."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        # SQLite has one writer at a time, and a deferred transaction that reads then writes fails
        # at once (no busy wait) when another writer committed in between. Within a process, taking
        # turns is both faster and calmer; across processes the retries still apply.
        bind = sessions.kw.get("bind")
        sqlite = bind is not None and bind.dialect.name == "sqlite"
        self.turns = asyncio.Lock() if sqlite else None

    async def run(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        async def in_session(session: AsyncSession) -> T:
            return await work(SqlTransaction(session))

        return await run_transaction(self.sessions, in_session, turns=self.turns)
