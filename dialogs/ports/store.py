"""One event's view of the database, by aggregate, and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dialogs.ports.answers import AnswerStore
from dialogs.ports.opsn import OpsnStore
from dialogs.ports.people import PeopleStore
from dialogs.ports.plan import PlanStore
from dialogs.ports.privacy import PrivacyStore
from dialogs.ports.proposals import ProposalStore
from dialogs.ports.roadmap import RoadmapStore
from dialogs.replies import Reply


class Outbox(Protocol):
    def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        """Write a message for another user; False if that key exists already (idempotent)."""
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
