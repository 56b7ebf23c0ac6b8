"""One event in, replies out: the unit of work around the engine.

Dedupes redelivered events (a redelivery gets the replies its first delivery kept and did not send:
a crash between commit and sending loses no reply), finds or creates the user, loads the conversation state, runs the engine,
saves the state with an optimistic version check, and commits everything (answers, outbox) at once.
How that is stored is the `Database`'s business (`storage.database.SqlDatabase`, or the in-memory
fake of the tests); a conflict replays the whole event, a failure stores nothing.

The engine and storage are synchronous. `handle` gives the whole event to one worker thread, once:
no thread hop per SQL statement, and the event loop of the channels never waits on the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from dialogs.context import Ctx, EngineConfig
from dialogs.engine import step
from dialogs.events import Event, Sender
from dialogs.i18n import locale_of, normalize_locale, translator
from dialogs.ports import Database, Transaction
from dialogs.replies import Outcome, Reply
from dialogs.state import is_valid_state
from referential.models import Referential

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class ChatService:
    def __init__(
        self,
        db: Database,
        referential: Referential,
        config: EngineConfig | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.referential = referential
        self.config = config or EngineConfig()
        self.clock = clock
        self._workers = ThreadPoolExecutor(
            max_workers=max(1, db.workers), thread_name_prefix="ecoclic-event"
        )

    async def handle(self, sender: Sender, event: Event) -> Outcome:
        """Handle one event exactly once, in a worker thread (see the module docstring)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers, self.handle_now, sender, event)

    def handle_now(self, sender: Sender, event: Event) -> Outcome:
        """Handle one event in the calling thread; a failure rolls everything back and gets a kind
        reply (the traceback goes to the log, never to the user)."""
        try:
            return self.db.run(lambda tx: self._handle_once(tx, sender, event))
        except Exception:
            log.exception("event %s from %s failed", event.event_id, sender.external_id)
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

    async def replies_sent(self, sender: Sender, event_id: str) -> None:
        """The channel sent the replies of `event_id`: a later redelivery sends nothing again.

        Run right here, not queued behind other events in the workers: until it commits, a crash
        makes the replies go out once more after the restart (one short UPDATE by primary key)."""
        self.replies_sent_now(sender, event_id)

    def replies_sent_now(self, sender: Sender, event_id: str) -> None:
        try:
            self.db.replies_sent(sender, event_id)
        except Exception:  # the replies may be sent once more after a restart, nothing worse
            log.exception("could not mark the replies of %s as sent", event_id)

    def close(self) -> None:
        """Let the worker threads finish what they started."""
        self._workers.shutdown(wait=True)
        self.db.close()

    def _handle_once(self, tx: Transaction, sender: Sender, event: Event) -> Outcome:
        now = self.clock()
        claimed = not event.event_id or tx.claim_event(event.event_id, now)
        user = tx.user_for(sender, now)
        if not claimed:
            assert event.event_id is not None
            unsent = tx.unsent_replies(user.id, event.event_id)
            if unsent:
                log.warning("event %s was handled, its replies not sent: sent now", event.event_id)
            return Outcome(unsent, handled=False)
        conversation = tx.conversation(user.id, now)
        state = conversation.state if is_valid_state(conversation.state) else {}
        locale = normalize_locale(locale_of(user, self.config.default_locale))
        ctx = Ctx(
            ref=self.referential.translated(locale),  # the English overlay for English speakers
            store=tx.store,
            user=user,
            state=state,
            now=now,
            config=self.config,
        )
        ctx.know_member(tx.member_of(user.id))
        outcome = step(ctx, event)
        kept = (event.event_id, outcome.replies) if event.event_id else None
        tx.save_conversation(user.id, ctx.state, conversation.version, now, kept)
        return outcome
