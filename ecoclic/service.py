"""One event in, replies out: the transaction around the engine.

Dedupes redelivered events, finds or creates the user, loads the conversation state, runs the engine,
saves the state with an optimistic version check, and commits everything (answers, outbox) at once.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.context import Ctx, EngineConfig
from dialogs.engine import step
from dialogs.events import Event, Sender
from dialogs.i18n import translator
from dialogs.replies import Outcome, Reply
from dialogs.state import is_valid_state
from referential.models import Referential
from storage.models import Conversation, ProcessedEvent, User
from storage.store import SqlStore, user_info

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4


class StaleConversation(Exception):
    """Another process saved this conversation since we read it; the event is replayed."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class ChatService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        referential: Referential,
        config: EngineConfig | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.sessions = sessions
        self.referential = referential
        self.config = config or EngineConfig()
        self.clock = clock
        # SQLite has one writer at a time, and a deferred transaction that reads then writes fails at
        # once (no busy wait) when another writer committed in between. Within a process, taking turns
        # is both faster and calmer; across processes the retries below still apply.
        bind = sessions.kw.get("bind")
        self._turns = asyncio.Lock() if bind is not None and bind.dialect.name == "sqlite" else None

    async def handle(self, sender: Sender, event: Event) -> Outcome:
        """Handle one event exactly once; a failure rolls everything back and gets a kind reply."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                if self._turns is None:
                    return await self._handle_once(sender, event)
                async with self._turns:
                    return await self._handle_once(sender, event)
            except (StaleConversation, IntegrityError, OperationalError) as exc:
                log.info(
                    "retrying event %s after %s (attempt %d)",
                    event.event_id,
                    type(exc).__name__,
                    attempt + 1,
                )
                await asyncio.sleep(random.uniform(0, 0.02 * 2**attempt))
            except Exception:
                log.exception("event %s from %s failed", event.event_id, sender.external_id)
                break
        tr = translator(sender.language_code)
        return Outcome(
            (
                Reply(
                    tr.gettext(
                        "Désolé, quelque chose s’est mal passé de mon côté et rien n’a été enregistré. "
                        "Pouvez-vous réessayer dans un instant ?"
                    )
                ),
            ),
        )

    async def _handle_once(self, sender: Sender, event: Event) -> Outcome:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            if event.event_id:
                seen = await session.get(ProcessedEvent, event.event_id)
                if seen is not None:
                    return Outcome((), handled=False)
                session.add(ProcessedEvent(key=event.event_id, processed_at=now))
                await session.flush()
            user = await self._user(session, sender, now)
            conversation = await session.get(Conversation, user.id)
            if conversation is None:
                conversation = Conversation(user_id=user.id, state={}, version=0, updated_at=now)
                session.add(conversation)
                await session.flush()
            version = conversation.version
            state = copy.deepcopy(conversation.state) if is_valid_state(conversation.state) else {}
            ctx = Ctx(
                ref=self.referential,
                store=SqlStore(session),
                user=user_info(user),
                state=state,
                now=now,
                config=self.config,
            )
            outcome = await step(ctx, event)
            result = await session.execute(
                update(Conversation)
                .where(Conversation.user_id == user.id, Conversation.version == version)
                .values(state=ctx.state, version=version + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleConversation(str(user.id))
            return outcome

    async def _user(self, session: AsyncSession, sender: Sender, now: datetime) -> User:
        user = await session.scalar(
            select(User).where(
                User.channel == sender.channel, User.external_id == sender.external_id
            )
        )
        if user is None:
            user = User(
                channel=sender.channel,
                external_id=sender.external_id,
                chat_id=sender.chat_id,
                display_name=sender.display_name[:128],
                language_code=(sender.language_code or None),
                locale=None,
                reminders_paused=False,
                unreachable=False,
                created_at=now,
            )
            session.add(user)
            await session.flush()
            return user
        if user.display_name != sender.display_name[:128] and sender.display_name:
            user.display_name = sender.display_name[:128]
        if sender.language_code and user.language_code != sender.language_code:
            user.language_code = sender.language_code
        if user.chat_id != sender.chat_id:
            user.chat_id = sender.chat_id
        if user.unreachable:
            user.unreachable = False  # they wrote to us: they unblocked the bot
        return user
