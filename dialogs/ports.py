"""What the engine needs from the outside world, as protocols and plain values.

Storage implements `Store` inside one database transaction per event; the engine never sees SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dialogs.plan.ports import PlanStore
from dialogs.replies import Reply


@dataclass(frozen=True)
class UserInfo:
    id: int
    channel: str
    external_id: str
    chat_id: str
    display_name: str
    locale: str | None  # explicit choice made with /langue
    language_code: str | None  # what the channel says


@dataclass(frozen=True)
class CollectiviteInfo:
    id: int
    siret: str
    kind: str
    name: str
    departement: str
    population: int
    level2_enabled: bool = False


@dataclass(frozen=True)
class MembershipInfo:
    collectivite: CollectiviteInfo
    role: str  # "admin" | "member"
    function_label: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class NewCollectivite:
    siret: str
    kind: str
    name: str
    departement: str
    population: int


@dataclass(frozen=True)
class ScoreRecord:
    index: int
    grade: str
    answered: int
    total: int


@dataclass(frozen=True)
class MemberInfo:
    """One person of a collectivité team, as /equipe lists them."""

    user_id: int
    display_name: str
    role: str  # "admin" | "member"
    function_label: str
    joined_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class InvitationInfo:
    """A single-use deep-link payload (kind "member" joins a team, "referent" joins an OPSN)."""

    id: int
    token: str
    kind: str
    collectivite_id: int | None
    opsn_id: int | None
    created_by: int | None
    expires_at: datetime
    used_by: int | None


@dataclass(frozen=True)
class JoinRequestInfo:
    id: int
    collectivite_id: int
    user_id: int
    status: str  # pending | accepted | refused | cancelled
    decided_by: int | None
    decided_at: datetime | None


@dataclass(frozen=True)
class OpsnInfo:
    id: int
    slug: str
    name: str
    departements: tuple[str, ...]


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    collectivite_id: int
    opsn_id: int
    status: str  # pending | accepted | refused | withdrawn | ended
    requested_by: int
    decided_by: int | None
    decided_at: datetime | None
    ended_by: int | None
    ended_at: datetime | None
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in ("pending", "accepted")


@dataclass(frozen=True)
class CollectiviteStatus:
    """A collectivité with its current score, for OPSN lists and notifications."""

    collectivite: CollectiviteInfo
    index: int
    grade: str
    answered: int
    last_activity_at: datetime


class TeamStore(Protocol):
    """Teams, invitations, join requests and the failed-payload counter."""

    async def members(self, collectivite_id: int) -> list[MemberInfo]: ...

    async def add_member(
        self, collectivite_id: int, user_id: int, role: str, now: datetime
    ) -> bool:
        """False when the person already belongs to a collectivité."""
        ...

    async def remove_member(self, collectivite_id: int, user_id: int) -> bool: ...

    async def set_role(self, collectivite_id: int, user_id: int, role: str) -> bool: ...

    async def set_function(self, user_id: int, label: str) -> None: ...

    async def lock_collectivite(self, collectivite_id: int) -> None:
        """Serialise team and attachment changes of one collectivité (row lock on PostgreSQL)."""
        ...

    async def create_invitation(
        self,
        *,
        token: str,
        kind: str,
        collectivite_id: int | None,
        opsn_id: int | None,
        created_by: int | None,
        expires_at: datetime,
        now: datetime,
    ) -> InvitationInfo: ...

    async def invitation(self, token: str) -> InvitationInfo | None: ...

    async def use_invitation(self, token: str, user_id: int, now: datetime) -> bool:
        """Mark the invitation used by `user_id`; False if used or expired meanwhile."""
        ...

    async def join_request(self, request_id: int) -> JoinRequestInfo | None: ...

    async def decide_join_request(
        self, request_id: int, status: str, decided_by: int | None, now: datetime
    ) -> bool:
        """Move a pending request to `status`; False when it was no longer pending."""
        ...

    async def cancel_join_requests(self, user_id: int, now: datetime) -> None: ...

    async def payload_failures(self, user_id: int, since: datetime) -> int: ...

    async def record_payload_failure(self, user_id: int, now: datetime) -> None: ...


class OpsnStore(Protocol):
    """OPSN directory, referents and attachments."""

    async def all_opsn(self) -> list[OpsnInfo]: ...

    async def opsn(self, opsn_id: int) -> OpsnInfo | None: ...

    async def opsn_by_slug(self, slug: str) -> OpsnInfo | None: ...

    async def save_opsn(
        self, slug: str, name: str, departements: tuple[str, ...], now: datetime
    ) -> tuple[OpsnInfo, bool]:
        """Create or update by slug; returns (opsn, created)."""
        ...

    async def referent_opsn(self, user_id: int) -> list[OpsnInfo]: ...

    async def referent_ids(self, opsn_id: int) -> list[int]: ...

    async def add_referent(self, opsn_id: int, user_id: int, now: datetime) -> bool: ...

    async def attachment(self, attachment_id: int) -> AttachmentInfo | None: ...

    async def open_attachment(self, collectivite_id: int) -> AttachmentInfo | None:
        """The pending or accepted attachment of a collectivité, if any."""
        ...

    async def request_attachment(
        self, collectivite_id: int, opsn_id: int, user_id: int, now: datetime
    ) -> AttachmentInfo: ...

    async def decide_attachment(
        self, attachment_id: int, accepted: bool, user_id: int, now: datetime
    ) -> bool:
        """Accept (level 2 on) or refuse a pending request; False when no longer pending."""
        ...

    async def close_attachment(
        self, attachment_id: int, status: str, user_id: int, now: datetime
    ) -> bool:
        """Withdraw a pending request ("withdrawn") or end an accepted one ("ended", level 2 off)."""
        ...

    async def collectivite_status(self, collectivite_id: int) -> CollectiviteStatus | None: ...

    async def followed(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        """Collectivités whose attachment to this OPSN is accepted, most recently active first."""
        ...

    async def pending_for(
        self, opsn_id: int
    ) -> list[tuple[AttachmentInfo, CollectiviteStatus]]: ...

    async def member_ids(self, collectivite_id: int) -> list[int]: ...


class Store(Protocol):
    """Reads and writes of one event, all in one transaction (committed by the caller)."""

    @property
    def team(self) -> TeamStore: ...

    @property
    def opsn(self) -> OpsnStore: ...

    @property
    def plan(self) -> PlanStore: ...

    async def membership(self, user_id: int) -> MembershipInfo | None: ...

    async def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None: ...

    async def create_collectivite(
        self, new: NewCollectivite, admin_user_id: int, now: datetime
    ) -> CollectiviteInfo: ...

    async def answers(self, collectivite_id: int) -> dict[str, str]: ...

    async def set_answer(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        """Store (or clear, with None) an answer and log it; False when nothing changed."""
        ...

    async def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None: ...

    async def request_join(
        self, collectivite_id: int, user_id: int, now: datetime
    ) -> tuple[int, bool]:
        """Create (or find) the pending join request; returns (request id, created)."""
        ...

    async def admin_ids(self, collectivite_id: int) -> list[int]: ...

    async def set_locale(self, user_id: int, locale: str | None) -> None: ...

    async def user(self, user_id: int) -> UserInfo | None: ...

    async def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        """Write a message for another user into the outbox; False if that key exists already."""
        ...


AnswerMap = Mapping[str, str]
