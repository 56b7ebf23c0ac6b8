"""What the engine needs from storage, as protocols grouped by aggregate.

`Store` is one event's view of the database, inside one transaction that the caller commits:
`store.people` (collectivités, their people, invitations, preferences), `store.answers` (answers and
scores), `store.plan` (action items), `store.opsn` (OPSN, referents, attachments) and `store.outbox`
(messages for other users, written in the same transaction as the change that causes them).
`Database.run` is the unit of work around one event. Storage implements these with SQLAlchemy;
`tests/helpers/fake_store.py` implements them in memory, and one contract suite runs on both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from dialogs.events import Sender
from dialogs.records import (
    ActionEventInfo,
    ActionItemInfo,
    AttachmentInfo,
    AttachmentStatus,
    CollectiviteInfo,
    CollectiviteStatus,
    Conversation,
    InvitationInfo,
    InvitationKind,
    JoinRequestInfo,
    JoinRequestStatus,
    MemberInfo,
    MembershipInfo,
    NewCollectivite,
    OpsnInfo,
    ReminderPrefs,
    Role,
    ScorePoint,
    ScoreRecord,
    TargetInfo,
    UserInfo,
)
from dialogs.replies import Reply

T = TypeVar("T")


class Conflict(Exception):
    """A transient conflict (another process saved first): the whole unit of work is run again."""


class PlanMove(StrEnum):
    """What an answer did to its question's action item (`PlanStore.follow_answer`)."""

    NONE = "none"
    CREATED = "created"
    REOPENED = "reopened"
    CLOSED = "closed"


class PeopleStore(Protocol):
    """Collectivités and their people: users, memberships, invitations, join requests, preferences."""

    def user(self, user_id: int) -> UserInfo | None: ...

    def set_locale(self, user_id: int, locale: str | None) -> None: ...

    def membership(self, user_id: int) -> MembershipInfo | None: ...

    def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None: ...

    def create_collectivite(
        self, new: NewCollectivite, admin_user_id: int, now: datetime
    ) -> CollectiviteInfo: ...

    def lock_collectivite(self, collectivite_id: int) -> None:
        """Serialise team and attachment changes of one collectivité (row lock on PostgreSQL)."""
        ...

    def members(self, collectivite_id: int) -> list[MemberInfo]:
        """The team, in joining order: the one way to list a collectivité's people."""
        ...

    def add_member(self, collectivite_id: int, user_id: int, role: Role, now: datetime) -> bool:
        """False when the person already belongs to a collectivité."""
        ...

    def remove_member(self, collectivite_id: int, user_id: int) -> bool: ...

    def set_role(self, collectivite_id: int, user_id: int, role: Role) -> bool: ...

    def set_function(self, user_id: int, label: str) -> None: ...

    def reminder_prefs(self, user_id: int) -> ReminderPrefs: ...

    def set_reminder_prefs(
        self,
        user_id: int,
        *,
        now: datetime,
        paused: bool | None = None,
        digest_weekday: int | None = None,
        digest_hour: int | None = None,
    ) -> ReminderPrefs: ...

    def request_join(self, collectivite_id: int, user_id: int, now: datetime) -> tuple[int, bool]:
        """Create (or find) the pending join request; returns (request id, created)."""
        ...

    def join_request(self, request_id: int) -> JoinRequestInfo | None: ...

    def decide_join_request(
        self, request_id: int, status: JoinRequestStatus, decided_by: int | None, now: datetime
    ) -> bool:
        """Move a pending request to `status`; False when it was no longer pending."""
        ...

    def cancel_join_requests(self, user_id: int, now: datetime) -> None: ...

    def create_invitation(
        self,
        *,
        token: str,
        kind: InvitationKind,
        collectivite_id: int | None,
        opsn_id: int | None,
        created_by: int | None,
        expires_at: datetime,
        now: datetime,
    ) -> InvitationInfo: ...

    def invitation(self, token: str) -> InvitationInfo | None: ...

    def use_invitation(self, token: str, user_id: int, now: datetime) -> bool:
        """Mark the invitation used by `user_id`; False if used or expired meanwhile."""
        ...

    def payload_failures(self, user_id: int, since: datetime) -> int: ...

    def record_payload_failure(self, user_id: int, now: datetime) -> None: ...


class AnswerStore(Protocol):
    """A collectivité's answers and its score history."""

    def of(self, collectivite_id: int) -> dict[str, str]:
        """Question id -> stored answer value."""
        ...

    def set(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
        score: ScoreRecord | None = None,
    ) -> bool:
        """Store (or clear, with None) an answer and log it; False when nothing changed.

        With `score` (the score of the answers after this one), the same as `record_score` after
        it, in one write of the collectivité: its last activity, and its score when that moved.
        """
        ...

    def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        """Update the current score, the peer statistics, and the history when it moved."""
        ...


class PlanStore(Protocol):
    """Action items and their change log."""

    def items(self, collectivite_id: int) -> list[ActionItemInfo]: ...

    def item(self, item_id: int) -> ActionItemInfo | None: ...

    def item_for_question(
        self, collectivite_id: int, question_id: str
    ) -> ActionItemInfo | None: ...

    def create_item(
        self, collectivite_id: int, question_id: str, *, actor_id: int | None, now: datetime
    ) -> ActionItemInfo:
        """A new « à faire » item (its creation is logged as a status change from nothing)."""
        ...

    def update_item(
        self,
        item_id: int,
        changes: Mapping[str, object],
        *,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        """Apply `changes` (keys from records.ITEM_FIELDS), logging one event per field that moved."""
        ...

    def events(self, item_id: int, limit: int = 10) -> list[ActionEventInfo]:
        """The newest changes first."""
        ...

    def follow_answer(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        settled: bool,
        actor_id: int | None,
        now: datetime,
    ) -> PlanMove:
        """Keep the question's item in step with a new answer, logging the change.

        `settled` (full credit): an item not yet « réalisé » becomes so (CLOSED). Otherwise: no item
        yet, one is created « à faire » (CREATED); a « réalisé » one is reopened (REOPENED); any
        other status is the team's choice and stays (NONE).
        """
        ...


class OpsnStore(Protocol):
    """OPSN directory, referents and attachments."""

    def all_opsn(self) -> list[OpsnInfo]: ...

    def opsn(self, opsn_id: int) -> OpsnInfo | None: ...

    def opsn_by_slug(self, slug: str) -> OpsnInfo | None: ...

    def save_opsn(
        self, slug: str, name: str, departements: tuple[str, ...], now: datetime
    ) -> tuple[OpsnInfo, bool]:
        """Create or update by slug; returns (opsn, created)."""
        ...

    def referent_opsn(self, user_id: int) -> list[OpsnInfo]: ...

    def referent_ids(self, opsn_id: int) -> list[int]: ...

    def add_referent(self, opsn_id: int, user_id: int, now: datetime) -> bool: ...

    def attachment(self, attachment_id: int) -> AttachmentInfo | None: ...

    def open_attachment(self, collectivite_id: int) -> AttachmentInfo | None:
        """The pending or accepted attachment of a collectivité, if any."""
        ...

    def request_attachment(
        self, collectivite_id: int, opsn_id: int, user_id: int, now: datetime
    ) -> AttachmentInfo: ...

    def decide_attachment(
        self, attachment_id: int, accepted: bool, user_id: int, now: datetime
    ) -> bool:
        """Accept (level 2 on) or refuse a pending request; False when no longer pending."""
        ...

    def close_attachment(
        self, attachment_id: int, status: AttachmentStatus, user_id: int, now: datetime
    ) -> bool:
        """Withdraw a pending request (WITHDRAWN) or end an accepted one (ENDED, level 2 off)."""
        ...

    def collectivite_status(self, collectivite_id: int) -> CollectiviteStatus | None: ...

    def followed(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        """Collectivités whose attachment to this OPSN is accepted, most recently active first."""
        ...

    def pending_for(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]: ...


class RoadmapStore(Protocol):
    """What a roadmap needs beyond answers and plan: the team's target and the score history."""

    def target(self, collectivite_id: int) -> TargetInfo | None: ...

    def set_target(
        self,
        collectivite_id: int,
        *,
        grade: str | None,
        index: int | None,
        due_date: date,
        user_id: int | None,
        now: datetime,
    ) -> TargetInfo:
        """Replace the target (exactly one of `grade` and `index` is given)."""
        ...

    def clear_target(self, collectivite_id: int) -> bool: ...

    def history(self, collectivite_id: int) -> list[ScorePoint]:
        """Every recorded score change, oldest first."""
        ...


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
    def roadmap(self) -> RoadmapStore: ...


class Transaction(Protocol):
    """One unit of work: the store plus what the service needs around the engine."""

    @property
    def store(self) -> Store: ...

    def claim_event(self, event_id: str, now: datetime) -> bool:
        """Record an event id; False when it was handled already (a redelivery)."""
        ...

    def user_for(self, sender: Sender, now: datetime) -> UserInfo:
        """Find or create the sender's user, refreshing name, language and chat id."""
        ...

    def member_of(self, user_id: int) -> MembershipInfo | None:
        """The user's membership; answered from what `user_for` read when it can (no query)."""
        ...

    def conversation(self, user_id: int, now: datetime) -> Conversation: ...

    def save_conversation(
        self, user_id: int, state: dict[str, object], version: int, now: datetime
    ) -> None:
        """Save if the version is still `version`; else raise `Conflict`."""
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


__all__ = [
    "AnswerStore",
    "Conflict",
    "Database",
    "OpsnStore",
    "Outbox",
    "PeopleStore",
    "PlanMove",
    "PlanStore",
    "RoadmapStore",
    "Store",
    "Transaction",
]
