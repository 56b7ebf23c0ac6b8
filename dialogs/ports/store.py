"""One event's view of the database, by aggregate, and the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from dialogs.ports.answers import AnswerStore
from dialogs.ports.opsn import OpsnStore
from dialogs.ports.people import PeopleStore
from dialogs.ports.plan import PlanStore
from dialogs.ports.privacy import PrivacyStore
from dialogs.ports.proposals import ProposalStore
from dialogs.ports.roadmap import RoadmapStore
from dialogs.replies import Reply


class Gathered(StrEnum):
    """What `Outbox.gather` did."""

    QUEUED = "queued"  # a new message
    MERGED = "merged"  # the pending message of that key now says more
    GONE = "gone"  # that key's message went out already (or the person is gone): nothing written


class Outbox(Protocol):
    def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        """Write a message for another user; False if that key exists already (idempotent)."""
        ...

    def gather(
        self,
        user_id: int,
        key: str,
        render: Callable[[datetime], Reply],
        *,
        now: datetime,
        send_at: datetime,
    ) -> Gathered:
        """One message per key that news is added to until it goes out, in this transaction.

        No message of `key` yet: queue `render(now)`, to be sent at `send_at`. A pending one: its
        content becomes `render(first)`, `first` being when it was queued (so it lists everything
        since). One that went out already (or is being sent): GONE, the caller picks another key.
        """
        ...


class Store(Protocol):
    """Reads and writes of one event, all in one transaction (committed by the caller)."""

    @property
    def people(self) -> PeopleStore: ...

    @property
    def answers(self) -> AnswerStore: ...

    @property
    def plan(self) -> PlanStore: ...

    @property
    def opsn(self) -> OpsnStore: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def privacy(self) -> PrivacyStore: ...

    @property
    def roadmap(self) -> RoadmapStore: ...

    @property
    def proposals(self) -> ProposalStore: ...
