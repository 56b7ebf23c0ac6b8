"""The relational schema: every table of the product, as typed SQLAlchemy 2 models.

Alembic migrations in `storage/migrations` are generated from these models; a test checks they agree.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from dialogs.records import AttachmentStatus, ItemStatus, JoinRequestStatus, ProposalStatus
from referential.fields import TEXT_ANSWER_MAX
from storage.model_base import Base as Base
from storage.model_base import UtcDateTime as UtcDateTime

# A stored answer: up to a level-2 text answer (a multi-choice selection is shorter).
ANSWER_VALUE_MAX = TEXT_ANSWER_MAX


class OutboxStatus(StrEnum):
    """Where an outbox message stands (the dispatcher side: storage/outbox.py)."""

    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a dispatcher until its lease runs out
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # never retried


class User(Base):
    """A person on one channel. Minimal data: an external id, a display name, a language."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(128), default="")
    language_code: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    reminders_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Reminder preferences (/rappels): weekly digest day (0 = Monday) and hour, Europe/Paris time;
    # reminders that fell due before the last resume are dropped, not delivered late.
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)
    digest_hour: Mapped[int] = mapped_column(Integer, default=9)
    reminders_resumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Collectivite(Base):
    """One collectivité = one SIRET. Current score fields are denormalised for lists and peers."""

    __tablename__ = "collectivites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    siret: Mapped[str] = mapped_column(String(14), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    departement: Mapped[str] = mapped_column(String(3), index=True)
    population: Mapped[int] = mapped_column(Integer)
    level2_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    current_index: Mapped[int] = mapped_column(Integer, default=0)
    current_grade: Mapped[str] = mapped_column(String(2), default="E")
    answered_count: Mapped[int] = mapped_column(Integer, default=0)
    referential_version: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Membership(Base):
    """A user's place in a collectivité team; a person may belong to several collectivités.

    `chosen_rank` says which one is active: the highest, given to the membership chosen last
    (/collectivite, or the team just joined; a counter per person, not a time, so two choices in
    the same instant stay ordered). Kept on the membership rather than as a pointer on the user, so
    leaving a team takes its choice along (no dangling pointer) and choosing is one conditional
    UPDATE whose row count refuses a collectivité the person does not belong to."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "collectivite_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(10))  # dialogs.records.Role
    function_label: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    chosen_rank: Mapped[int | None] = mapped_column(Integer)


class JoinRequest(Base):
    """A person asks to join an existing collectivité; its administrators decide."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=JoinRequestStatus.PENDING.value)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Invitation(Base):
    """A single-use deep-link payload: joins a team or makes a referent of an OPSN."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # dialogs.records.InvitationKind
    collectivite_id: Mapped[int | None] = mapped_column(ForeignKey("collectivites.id"))
    opsn_id: Mapped[int | None] = mapped_column(ForeignKey("opsn.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Opsn(Base):
    """Opérateur public de services numériques."""

    __tablename__ = "opsn"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    departements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Referent(Base):
    __tablename__ = "referents"
    __table_args__ = (UniqueConstraint("opsn_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opsn_id: Mapped[int] = mapped_column(ForeignKey("opsn.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Attachment(Base):
    """A collectivité's request to be followed by an OPSN, and its outcome."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    opsn_id: Mapped[int] = mapped_column(ForeignKey("opsn.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=AttachmentStatus.PENDING.value)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Conversation(Base):
    """Dialog state of one user; `version` makes concurrent writers fail instead of overwriting."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The replies to the user's last event (`replies_event`), written with its effects and cleared
    # once the channel sent them: redelivered after a crash, the event sends them instead of nothing.
    replies_event: Mapped[str | None] = mapped_column(String(128))
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class Answer(Base):
    """Current answer of a collectivité to one question (answers belong to the collectivité)."""

    __tablename__ = "answers"

    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    referential_version: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(ANSWER_VALUE_MAX))
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AnswerHistory(Base):
    """Append-only log of every answer given or cleared."""

    __tablename__ = "answer_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(16))
    referential_version: Mapped[str] = mapped_column(String(20))
    value: Mapped[str | None] = mapped_column(String(ANSWER_VALUE_MAX))
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScoreSnapshot(Base):
    """One point of the index history chart, written when the index or progress changes."""

    __tablename__ = "score_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(2))
    answered: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PeerBin(Base):
    """Incremental peer statistics: how many collectivités of a kind and size band have each index."""

    __tablename__ = "peer_bins"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ProcessedEvent(Base):
    """Idempotency keys of handled inbound events (e.g. Telegram update ids)."""

    __tablename__ = "processed_events"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class InboxUpdate(Base):
    """An update received from a channel and not handled yet: written before the channel is told it
    was received (the polling offset moves past it), deleted once it is handled and answered."""

    __tablename__ = "inbox"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OutboxMessage(Base):
    """A message for someone other than the current speaker, written in the same transaction."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(14), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The dispatcher instance holding the lease: restarted, it takes its own rows back at once.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ActionItem(Base):
    """An action of the plan: a recommendation born from a « non » or « je ne sais pas »
    (origin "ref"), or an action the team added itself ("team") or its OPSN proposed ("opsn")."""

    __tablename__ = "action_items"
    __table_args__ = (UniqueConstraint("collectivite_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    # None for an action of the team's own or proposed by its OPSN (NULLs never collide in the
    # unique constraint, on SQLite as on PostgreSQL).
    question_id: Mapped[str | None] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(8), server_default="ref", default="ref")
    title: Mapped[str | None] = mapped_column(String(120))
    details: Mapped[str | None] = mapped_column(String(1000))
    theme_id: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[int | None] = mapped_column(Integer)
    opsn_id: Mapped[int | None] = mapped_column(ForeignKey("opsn.id"))
    status: Mapped[str] = mapped_column(String(12), default=ItemStatus.A_FAIRE.value)
    reason: Mapped[str] = mapped_column(String(300), default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    reminders_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Due-date reminders that fell due before this instant (the last change) are not sent.
    reminders_from: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ActionEvent(Base):
    """Append-only record of every change to an action item: who, when, from → to."""

    __tablename__ = "action_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(String(300))
    new_value: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class RecommendationProposal(Base):
    """An OPSN's recommendation to one followed collectivité (see dialogs.records.ProposalInfo)."""

    __tablename__ = "recommendation_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[int] = mapped_column(Integer, index=True)
    opsn_id: Mapped[int] = mapped_column(ForeignKey("opsn.id"), index=True)
    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), index=True)
    question_id: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(120), default="")
    why: Mapped[str] = mapped_column(String(450), default="")
    how: Mapped[str] = mapped_column(String(450), default="")
    priority: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.PENDING.value)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # SET NULL: a team may delete the own action an accepted proposal became (the answer stays).
    action_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_items.id", ondelete="SET NULL")
    )


class Target(Base):
    """The team's target (a letter or an index by a date): one per collectivité, replaced in place."""

    __tablename__ = "targets"

    collectivite_id: Mapped[int] = mapped_column(ForeignKey("collectivites.id"), primary_key=True)
    grade: Mapped[str | None] = mapped_column(String(2))
    index: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KeyValue(Base):
    """Small platform settings kept in the database (e.g. the generated signing key)."""

    __tablename__ = "key_values"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
