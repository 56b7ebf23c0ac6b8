"""The records the engine and storage exchange: frozen, JSON-friendly values, and their status enums.

Storage returns these and nothing else (never ORM rows); the engine never builds them except to hand
new values to storage. Statuses are `StrEnum`s whose values are the strings stored in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


class AttachmentStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the collectivité took its pending request back
    ENDED = "ended"  # either side ended an accepted attachment


OPEN_ATTACHMENT_STATUSES = frozenset({AttachmentStatus.PENDING, AttachmentStatus.ACCEPTED})


class JoinRequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    CANCELLED = "cancelled"


class InvitationKind(StrEnum):
    MEMBER = "member"  # joins a collectivité team
    REFERENT = "referent"  # becomes a referent of an OPSN


class ItemStatus(StrEnum):
    """An action item's status; the order is the usual life of an item."""

    A_FAIRE = "a_faire"
    PLANIFIE = "planifie"
    EN_COURS = "en_cours"
    REALISE = "realise"
    NON_RETENU = "non_retenu"


OPEN_ITEM_STATUSES = frozenset({ItemStatus.A_FAIRE, ItemStatus.PLANIFIE, ItemStatus.EN_COURS})


class ItemOrigin(StrEnum):
    """Where an action item comes from: a referential recommendation, the team, or its OPSN."""

    REFERENTIAL = "ref"
    TEAM = "team"
    OPSN = "opsn"


# Fields `PlanStore.update_item` may change; each change is logged as an action event.
ITEM_FIELDS = frozenset(
    {
        "status",
        "reason",
        "assignee_id",
        "due_date",
        "snoozed_until",
        "reminders_muted",
        "title",
        "details",
        "theme_id",
        "priority",
        "opsn_id",
    }
)


# The channel of what remains of an erased person: a row without name, messaging id or language,
# kept so that the collectivité's records (answers, plan history) point to « un ancien membre ».
ERASED_CHANNEL = "erased"


@dataclass(frozen=True)
class UserInfo:
    id: int
    channel: str
    external_id: str
    chat_id: str
    display_name: str
    locale: str | None  # explicit choice made with /langue
    language_code: str | None  # what the channel says

    @property
    def is_erased(self) -> bool:
        return self.channel == ERASED_CHANNEL


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
    """The speaker's place in a collectivité team (the active one when they have several)."""

    collectivite: CollectiviteInfo
    role: Role
    function_label: str = ""
    # How many collectivités the person belongs to: from two on, replies name the active one.
    memberships: int = 1

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


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
class GroupAverage:
    """The average index of a group of collectivités that answered, given only when at least five
    others than the one asking are in it: an average never reveals a single collectivité."""

    label: str  # the département's code, the région's name, "" for France, the OPSN's name
    average: float
    count: int  # collectivités averaged, the asking one included once it has answered


@dataclass(frozen=True)
class AreaAverages:
    """Averages of a collectivité's département, région, France and its OPSN; None when too small."""

    departement: GroupAverage | None = None
    region: GroupAverage | None = None
    national: GroupAverage | None = None
    opsn: GroupAverage | None = None


@dataclass(frozen=True)
class MemberInfo:
    """One person of a collectivité team; the one way a team's people are listed."""

    user_id: int
    display_name: str
    role: Role
    function_label: str
    joined_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class InvitationInfo:
    """A single-use deep-link payload."""

    id: int
    token: str
    kind: InvitationKind
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
    status: JoinRequestStatus
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
    status: AttachmentStatus
    requested_by: int
    decided_by: int | None
    decided_at: datetime | None
    ended_by: int | None
    ended_at: datetime | None
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ATTACHMENT_STATUSES


class ProposalStatus(StrEnum):
    """A recommendation an OPSN pushed to a collectivité: waiting, added to its plan, or set aside."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class NewProposal:
    """What a referent proposes: a referential question's recommendation (`question_id`, its texts
    come from the referential) or one written freely (`title`, `why`, `how`)."""

    question_id: str | None
    title: str
    why: str
    how: str
    priority: int  # the referential's weights: 3 prioritaire, 2 nécessaire, 1 recommandée
    due_date: date | None


@dataclass(frozen=True)
class ProposalInfo:
    """One proposal to one collectivité; a push to every followed collectivité shares a `batch`
    (the id of the batch's first proposal)."""

    id: int
    batch: int
    opsn_id: int
    collectivite_id: int
    collectivite_name: str
    question_id: str | None
    title: str
    why: str
    how: str
    priority: int
    due_date: date | None
    status: ProposalStatus
    reason: str
    created_by: int | None
    created_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    action_item_id: int | None


@dataclass(frozen=True)
class CollectiviteStatus:
    """A collectivité with its current score, for OPSN lists and notifications."""

    collectivite: CollectiviteInfo
    index: int
    grade: str
    answered: int
    last_activity_at: datetime


@dataclass(frozen=True)
class ActionItemInfo:
    id: int
    collectivite_id: int
    question_id: str | None  # None for the team's or the OPSN's own actions
    status: ItemStatus
    reason: str
    assignee_id: int | None
    assignee_name: str | None
    due_date: date | None
    snoozed_until: date | None
    reminders_muted: bool
    created_at: datetime
    updated_at: datetime
    origin: ItemOrigin = ItemOrigin.REFERENTIAL
    title: str | None = None  # own actions only: referential items take their question's
    details: str | None = None  # own actions' description (an OPSN's: why and how)
    theme_id: str | None = None  # own actions only: one of the referential's theme ids
    priority: int | None = None  # own actions only: a referential weight (Referential.weights)
    opsn_id: int | None = None  # the OPSN that proposed it
    opsn_name: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ITEM_STATUSES


@dataclass(frozen=True)
class ActionEventInfo:
    actor_id: int | None
    actor_name: str | None
    field: str
    old_value: str | None
    new_value: str | None
    at: datetime


@dataclass(frozen=True)
class ClosedInfo:
    """An action item marked réalisé, by whom and when (administrators' notification)."""

    item_id: int
    question_id: str | None
    actor_id: int | None
    actor_name: str | None
    at: datetime
    title: str | None = None  # the team's or an OPSN's own action (no question)


@dataclass(frozen=True)
class ReminderPrefs:
    paused: bool
    digest_weekday: int  # 0 = Monday … 4 = Friday
    digest_hour: int  # local hour, 8..19


@dataclass(frozen=True)
class Conversation:
    """A user's stored conversation state and its optimistic version."""

    state: dict[str, object]
    version: int


@dataclass(frozen=True)
class TargetInfo:
    """The team's target: a letter or an index to reach by a date (one per collectivité)."""

    collectivite_id: int
    grade: str | None  # a letter, or None when the target is an index
    index: int | None  # 0..100, or None when the target is a letter
    due_date: date
    set_by: int | None
    set_at: datetime


@dataclass(frozen=True)
class ScorePoint:
    """One moment of a collectivité's score history (a change of index or of answers)."""

    at: datetime
    index: int
    grade: str
    answered: int
    total: int
