"""The reminder tick's reads: `SqlReminderRows` implements dialogs.reminders.planning's
`ReminderRows` in the caller's session, and `insert_messages` writes what was planned.

Rows are read as columns (no ORM objects), at most `limit` at a time after a cursor, and only those
whose reminder key is not in the outbox yet (storage.reminders.keys): neither memory nor a query
grows with what was sent already.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from dialogs.records import OPEN_ITEM_STATUSES, ActionItemInfo, ItemOrigin, ItemStatus, Role
from storage.models import (
    ActionEvent,
    ActionItem,
    Collectivite,
    Membership,
    OutboxMessage,
    ScoreSnapshot,
    User,
)
from storage.reminders.keys import DigestSearch, DueSearch, MonthSearch, due_filter, not_queued
from storage.targets import TargetFacts, targets_with_answers

KEY_CHUNK = 500
MEMBERSHIPS_OF_USER = aliased(Membership)
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
    collectivite_name: str = ""
    several: bool = False  # the assignee belongs to several collectivités


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
    open: int  # open items today
    overdue: int  # open items past their due date today


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
ITEM_COLUMNS = (
    ActionItem.id.label("item_id"),
    ActionItem.collectivite_id,
    ActionItem.question_id,
    ActionItem.origin,
    ActionItem.title,
    ActionItem.details,
    ActionItem.theme_id,
    ActionItem.priority,
    ActionItem.opsn_id,
    ActionItem.status,
    ActionItem.reason,
    ActionItem.due_date,
    ActionItem.snoozed_until,
    ActionItem.reminders_muted,
    ActionItem.reminders_from,
    ActionItem.created_at.label("item_created_at"),
    ActionItem.updated_at,
)
# The item's collectivité by name, and whether its assignee belongs to several (then reminders
# name the collectivité they are about).
PLACE_COLUMNS = (
    Collectivite.name.label("collectivite_name"),
    select(func.count())
    .select_from(MEMBERSHIPS_OF_USER)
    .where(MEMBERSHIPS_OF_USER.user_id == User.id)
    .scalar_subquery()
    .label("memberships"),
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


def _assigned_items(rows: Iterable[Any]) -> list[AssignedItem]:
    people: dict[int, Recipient] = {}
    found = []
    for row in rows:
        person = people.get(row.user_id) or _recipient(row)
        people[person.id] = person
        info = ActionItemInfo(
            id=row.item_id,
            collectivite_id=row.collectivite_id,
            question_id=row.question_id,
            status=ItemStatus(row.status),
            reason=row.reason,
            assignee_id=person.id,
            assignee_name=person.display_name,
            due_date=row.due_date,
            snoozed_until=row.snoozed_until,
            reminders_muted=row.reminders_muted,
            created_at=row.item_created_at,
            updated_at=row.updated_at,
            origin=ItemOrigin(row.origin),
            title=row.title,
            details=row.details,
            theme_id=row.theme_id,
            priority=row.priority,
            opsn_id=row.opsn_id,
        )
        found.append(
            AssignedItem(
                info, row.reminders_from, person, row.collectivite_name, row.memberships > 1
            )
        )
    return found


def _assigned(question_ids: Collection[str], *columns: Any) -> Select[Any]:
    """Open, unmuted items of these questions (and own actions, which have none) whose assignee
    still belongs to the item's collectivité and accepts reminders."""
    return (
        select(*columns)
        .select_from(ActionItem)
        .join(User, User.id == ActionItem.assignee_id)
        .join(Collectivite, Collectivite.id == ActionItem.collectivite_id)
        .join(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.collectivite_id == ActionItem.collectivite_id,
            ),
        )
        .where(
            ActionItem.status.in_(OPEN),
            ActionItem.reminders_muted.is_(False),
            or_(ActionItem.question_id.in_(sorted(question_ids)), ActionItem.question_id.is_(None)),
            REACHABLE,
        )
    )


class SqlReminderRows:
    """Implements `dialogs.reminders.planning.ReminderRows` in the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def due_items(
        self, window: DueSearch, question_ids: Collection[str], after: int, limit: int
    ) -> list[AssignedItem]:
        query = (
            _assigned(question_ids, *ITEM_COLUMNS, *RECIPIENT_COLUMNS, *PLACE_COLUMNS)
            .where(ActionItem.id > after, due_filter(window))
            .order_by(ActionItem.id)
            .limit(limit)
        )
        return _assigned_items(self.session.execute(query))

    def digest_items(
        self, window: DigestSearch, question_ids: Collection[str], after: int, limit: int
    ) -> list[AssignedItem]:
        key = literal("digest:") + cast(User.id, String) + f":{window.week}"
        people = (
            _assigned(question_ids, User.id)
            .where(
                User.id > after,
                (User.digest_weekday * 24 + User.digest_hour).in_(sorted(window.slots)),
                not_queued(key),
            )
            .group_by(User.id)
            .order_by(User.id)
            .limit(limit)
        )
        ids = list(self.session.scalars(people))
        if not ids:
            return []
        query = (
            _assigned(question_ids, *ITEM_COLUMNS, *RECIPIENT_COLUMNS, *PLACE_COLUMNS)
            .where(User.id.in_(ids))
            .order_by(User.id, ActionItem.id)
        )
        return _assigned_items(self.session.execute(query))

    def admins(self, window: MonthSearch, after: int, limit: int) -> list[AdminOf]:
        key = (
            literal("monthly:")
            + cast(User.id, String)
            + ":"
            + cast(Collectivite.id, String)
            + window.suffix
        )
        has_plan = exists().where(ActionItem.collectivite_id == Collectivite.id)
        rows = self.session.execute(
            select(Collectivite.id.label("collectivite_id"), Collectivite.name, *RECIPIENT_COLUMNS)
            .join(Membership, Membership.collectivite_id == Collectivite.id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.role == Role.ADMIN,
                REACHABLE,
                User.id > after,
                has_plan,
                not_queued(key),
            )
            .order_by(User.id)
            .limit(limit)
        )
        return [AdminOf(row.collectivite_id, row.name, _recipient(row)) for row in rows]

    def month_facts(
        self, collectivite_ids: Collection[int], window: MonthSearch
    ) -> dict[int, MonthFacts]:
        """One grouped statement for all these collectivités."""
        ids = sorted(collectivite_ids)
        if not ids:
            return {}
        items = (
            select(
                ActionItem.collectivite_id.label("cid"),
                func.count().label("open"),
                func.sum(case((ActionItem.due_date < window.day, 1), else_=0)).label("overdue"),
            )
            .where(ActionItem.collectivite_id.in_(ids), ActionItem.status.in_(OPEN))
            .group_by(ActionItem.collectivite_id)
            .subquery()
        )
        done = (
            select(
                ActionItem.collectivite_id.label("cid"),
                func.count(func.distinct(ActionEvent.action_item_id)).label("done"),
            )
            .join(ActionItem, ActionItem.id == ActionEvent.action_item_id)
            .where(
                ActionItem.collectivite_id.in_(ids),
                ActionEvent.field == "status",
                ActionEvent.new_value == ItemStatus.REALISE,
                ActionEvent.at >= window.start,
                ActionEvent.at < window.end,
            )
            .group_by(ActionItem.collectivite_id)
            .subquery()
        )
        before = _last_index(ids, window.start)
        after = _last_index(ids, window.end)
        rows = self.session.execute(
            select(
                Collectivite.id,
                before.c["index"].label("index_before"),
                after.c["index"].label("index_after"),
                func.coalesce(done.c.done, 0).label("done"),
                func.coalesce(items.c.open, 0).label("open"),
                func.coalesce(items.c.overdue, 0).label("overdue"),
            )
            .outerjoin(items, items.c.cid == Collectivite.id)
            .outerjoin(done, done.c.cid == Collectivite.id)
            .outerjoin(before, and_(before.c.cid == Collectivite.id, before.c.rank == 1))
            .outerjoin(after, and_(after.c.cid == Collectivite.id, after.c.rank == 1))
            .where(Collectivite.id.in_(ids))
        )
        return {
            row.id: MonthFacts(
                row.index_before, row.index_after, row.done, row.open, int(row.overdue)
            )
            for row in rows
        }

    def targets(self, collectivite_ids: Collection[int]) -> dict[int, TargetFacts]:
        return targets_with_answers(self.session, collectivite_ids)

    def queued(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start : start + KEY_CHUNK]
            found.update(
                self.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk)))
            )
        return found


def _last_index(collectivite_ids: list[int], before: datetime) -> Any:
    """Per collectivité, its snapshots before `before`, the latest ranked 1."""
    rank = (
        func.row_number()
        .over(
            partition_by=ScoreSnapshot.collectivite_id,
            order_by=(ScoreSnapshot.created_at.desc(), ScoreSnapshot.id.desc()),
        )
        .label("rank")
    )
    return (
        select(ScoreSnapshot.collectivite_id.label("cid"), ScoreSnapshot.index, rank)
        .where(
            ScoreSnapshot.collectivite_id.in_(collectivite_ids), ScoreSnapshot.created_at < before
        )
        .subquery()
    )


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
