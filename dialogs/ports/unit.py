"""The unit of work around one event: the transaction the service runs the engine in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from dialogs.events import Sender
from dialogs.ports.store import Store
from dialogs.records import (
    Conversation,
    MembershipInfo,
    UserInfo,
)
from dialogs.replies import Reply

T = TypeVar("T")


class Conflict(Exception):
    """A transient conflict (another process saved first): the whole unit of work is run again."""


KeptReplies = tuple[str, tuple[Reply, ...]]  # (event id, its replies)


class Transaction(Protocol):
    """One unit of work: the store plus what the service needs around the engine."""

    @property
    def store(self) -> Store: ...

    def claim_event(self, event_id: str, now: datetime) -> bool:
        """Record an event id; False when it was handled already (a redelivery)."""
        ...

    def unsent_replies(self, user_id: int, event_id: str) -> tuple[Reply, ...]:
        """The replies kept with `event_id`, handled already and not marked sent (the channel
        crashed between commit and sending): a redelivery sends them instead of nothing. Answered
        from what `user_for` read when it can (no query)."""
        ...

    def user_for(self, sender: Sender, now: datetime) -> UserInfo:
        """Find or create the sender's user, refreshing name, language and chat id."""
        ...

    def member_of(self, user_id: int) -> MembershipInfo | None:
        """The user's membership; answered from what `user_for` read when it can (no query)."""
        ...

    def conversation(self, user_id: int, now: datetime) -> Conversation: ...

    def save_conversation(
        self,
        user_id: int,
        state: dict[str, object],
        version: int,
        now: datetime,
        kept: KeptReplies | None = None,
    ) -> None:
        """Save if the version is still `version`; else raise `Conflict`. `kept`: the event being
        handled and its replies, kept until `replies_sent` (in the same write)."""
        ...

    def replies_sent(self, sender: Sender, event_id: str) -> None:
        """The channel sent the replies of `event_id`: forget them (their text is not kept)."""
        ...


class Database(Protocol):
    @property
    def workers(self) -> int:
        """How many units of work may usefully run at once (1 for SQLite: one writer)."""
        ...

    def run(self, work: Callable[[Transaction], T]) -> T:
        """Run `work` in one transaction and commit; on a `Conflict` (or the database's own
        transient errors) roll back and run it again, a few times, with a short random backoff.
        Synchronous: the caller gives the whole unit of work one thread."""
        ...

    def replies_sent(self, sender: Sender, event_id: str) -> None:
        """`Transaction.replies_sent` in a transaction of its own, as cheap as the database
        allows: the channel calls it once per event, right after sending the replies."""
        ...

    def close(self) -> None:
        """Release what the database keeps open between units of work."""
        ...
