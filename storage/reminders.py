"""The reminder tick's SQL: the candidate rows, read as plain values, and the bulk insert of the
messages planned.

Deciding what is due and rendering it is dialogs.reminders.planning's job; `SqlReminderRows`
implements its `ReminderRows` in the caller's session (the tick's one transaction, wired in
ecoclic.reminders). Ticks run every minute over every open assigned item, so rows are read as
columns, not ORM objects.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dialogs.records import OPEN_ITEM_STATUSES, ActionItemInfo, ItemStatus, Role
from storage.models import (
    ActionEvent,
    ActionItem,
    Collectivite,
    Membership,
    OutboxMessage,
    ScoreSnapshot,
    User,
)
from storage.plan import item_info

KEY_CHUNK = 500
OPEN = tuple(OPEN_ITEM_STATUSES)


@dataclass(frozen=True)
class Recipient:
    """A person who accepts reminders, with their settings."""

    id: int
    channel: str
    chat_id: str
    display_name: str
    locale: str | None
    language_code: str | None
    digest_weekday: int
    digest_hour: int
    resumed_at: datetime | None


@dataclass(frozen=True)
class AssignedItem:
    item: ActionItemInfo
    reminders_from: datetime | None
    recipient: Recipient


@dataclass(frozen=True)
class AdminOf:
    collectivite_id: int
    collectivite_name: str
    recipient: Recipient


@dataclass(frozen=True)
class MonthFacts:
    index_before: int | None  # the last index recorded before the month
    index_after: int | None  # the last index recorded before the month's end
    done: int  # items set to réalisé during the month
    open_due_dates: tuple[date | None, ...]  # one per open item, today


RECIPIENT_COLUMNS = (
    User.id.label("user_id"),
    User.channel,
    User.chat_id,
    User.display_name,
    User.locale,
    User.language_code,
    User.digest_weekday,
    User.digest_hour,
    User.reminders_resumed_at,
)
REACHABLE = and_(User.reminders_paused.is_(False), User.unreachable.is_(False))


def _recipient(row: Any) -> Recipient:
    return Recipient(
        id=row.user_id,
        channel=row.channel,
        chat_id=row.chat_id,
        display_name=row.display_name,
        locale=row.locale,
        language_code=row.language_code,
        digest_weekday=row.digest_weekday,
        digest_hour=row.digest_hour,
        resumed_at=row.reminders_resumed_at,
    )


class SqlReminderRows:
    """Implements `dialogs.reminders.planning.ReminderRows` in the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def assigned(self, question_ids: Collection[str]) -> list[AssignedItem]:
        """Open, unmuted items whose assignee still belongs to the item's collectivité and
        accepts reminders, with the item's `reminders_from`."""
        rows = self.session.execute(
            select(ActionItem, *RECIPIENT_COLUMNS)
            .join(User, User.id == ActionItem.assignee_id)
            .join(
                Membership,
                and_(
                    Membership.user_id == User.id,
                    Membership.collectivite_id == ActionItem.collectivite_id,
                ),
            )
            .where(ActionItem.status.in_(OPEN), ActionItem.reminders_muted.is_(False), REACHABLE)
            .order_by(ActionItem.id)
        )
        people: dict[int, Recipient] = {}
        found = []
        for row in rows.all():
            item = row[0]
            if item.question_id not in question_ids:
                continue
            person = people.get(row.user_id) or _recipient(row)
            people[person.id] = person
            found.append(
                AssignedItem(item_info(item, person.display_name), item.reminders_from, person)
            )
        return found

    def admins_with_plan(self) -> list[AdminOf]:
        """The administrators of every collectivité that has a plan, if they accept reminders."""
        rows = self.session.execute(
            select(Collectivite.id.label("collectivite_id"), Collectivite.name, *RECIPIENT_COLUMNS)
            .join(Membership, Membership.collectivite_id == Collectivite.id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.role == Role.ADMIN,
                REACHABLE,
                Collectivite.id.in_(select(ActionItem.collectivite_id).distinct()),
            )
            .order_by(Collectivite.id, User.id)
        )
        return [AdminOf(row.collectivite_id, row.name, _recipient(row)) for row in rows.all()]

    def month_facts(self, collectivite_id: int, start: datetime, end: datetime) -> MonthFacts:
        done = self.session.scalar(
            select(func.count(func.distinct(ActionEvent.action_item_id)))
            .join(ActionItem, ActionItem.id == ActionEvent.action_item_id)
            .where(
                ActionItem.collectivite_id == collectivite_id,
                ActionEvent.field == "status",
                ActionEvent.new_value == ItemStatus.REALISE,
                ActionEvent.at >= start,
                ActionEvent.at < end,
            )
        )
        open_due = self.session.scalars(
            select(ActionItem.due_date).where(
                ActionItem.collectivite_id == collectivite_id, ActionItem.status.in_(OPEN)
            )
        )
        return MonthFacts(
            index_before=self._last_index(collectivite_id, start),
            index_after=self._last_index(collectivite_id, end),
            done=done or 0,
            open_due_dates=tuple(open_due),
        )

    def _last_index(self, collectivite_id: int, before: datetime) -> int | None:
        return self.session.scalar(
            select(ScoreSnapshot.index)
            .where(
                ScoreSnapshot.collectivite_id == collectivite_id, ScoreSnapshot.created_at < before
            )
            .order_by(ScoreSnapshot.created_at.desc(), ScoreSnapshot.id.desc())
            .limit(1)
        )

    def queued(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start : start + KEY_CHUNK]
            found.update(
                self.session.scalars(
                    select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))
                )
            )
        return found


def insert_messages(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-insert outbox rows (`storage.outbox.message_row`), skipping keys another process
    queued meanwhile; returns how many went in."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    queued = 0
    for start in range(0, len(rows), KEY_CHUNK):
        statement = (
            dialect_insert(OutboxMessage)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.key)
        )
        result = session.execute(statement, list(rows[start : start + KEY_CHUNK]))
        queued += len(result.all())
    return queued
