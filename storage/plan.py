"""Action plan storage: items born from answers or added by the team (or its OPSN), and their
append-only change log.

Implements `dialogs.ports.PlanStore` in the caller's session; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    bindparam,
    delete,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from dialogs.ports import Conflict, PlanMove
from dialogs.records import ITEM_FIELDS, ActionEventInfo, ActionItemInfo, ItemOrigin, ItemStatus
from storage.db import insert_or
from storage.models import ActionEvent, ActionItem, Opsn, User
from storage.people import rowcount

ITEMS = cast(Table, ActionItem.__table__)
EVENTS = cast(Table, ActionEvent.__table__)

# The statements of `follow_answer` and `item_for_question`, built once: a call binds its values
# and SQLAlchemy reuses the statement's cache key and compiled form. Parameters named `b_…` never
# clash with the names SQLAlchemy gives the columns of a VALUES or SET clause.
_I = ITEMS.c
_WHERE = (
    _I.collectivite_id == bindparam("b_cid", type_=_I.collectivite_id.type),
    _I.question_id == bindparam("b_qid", type_=_I.question_id.type),
)
# An item with its assignee's name and its OPSN's name (when an OPSN proposed it).
_ITEM_ROWS = (
    select(ActionItem, User.display_name, Opsn.name)
    .outerjoin(User, User.id == ActionItem.assignee_id)
    .outerjoin(Opsn, Opsn.id == ActionItem.opsn_id)
)
_ITEM_FOR_QUESTION = _ITEM_ROWS.where(
    ActionItem.collectivite_id == bindparam("b_cid", type_=_I.collectivite_id.type),
    ActionItem.question_id == bindparam("b_qid", type_=_I.question_id.type),
)
_INSERT_EVENT = insert(EVENTS)


def _move_status_statements(when: ColumnElement[bool]) -> tuple[Any, Any]:
    """Log the status change of the item if `when` holds (RETURNING the log row), then change it."""
    now = bindparam("b_now", type_=EVENTS.c.at.type)
    log = (
        insert(EVENTS)
        .from_select(
            ["action_item_id", "actor_id", "field", "old_value", "new_value", "at"],
            select(
                _I.id,
                bindparam("b_actor", type_=EVENTS.c.actor_id.type),
                literal("status"),
                _I.status,
                bindparam("b_new_status", type_=String()),
                now,
            ).where(*_WHERE, when),
        )
        .returning(EVENTS.c.id)
    )
    change = (
        update(ITEMS)
        .where(*_WHERE, when)
        .values(
            status=bindparam("b_status", type_=_I.status.type),
            updated_at=bindparam("b_now", type_=_I.updated_at.type),
            reminders_from=bindparam("b_now", type_=_I.reminders_from.type),
        )
    )
    return log, change


_CLOSE = _move_status_statements(_I.status != ItemStatus.REALISE)
_REOPEN = _move_status_statements(_I.status == ItemStatus.REALISE)
_CREATE_ITEMS: dict[str, ReturningInsert[Any]] = {}


def _create_item(session: Session) -> ReturningInsert[Any]:
    """The item's INSERT … ON CONFLICT DO NOTHING RETURNING id, built once per dialect."""
    dialect = session.get_bind().dialect.name
    found = _CREATE_ITEMS.get(dialect)
    if found is None:
        found = _CREATE_ITEMS[dialect] = (
            insert_or(session, ITEMS)
            .on_conflict_do_nothing(index_elements=[_I.collectivite_id, _I.question_id])
            .returning(_I.id)
        )
    return found


def item_info(
    row: ActionItem, assignee_name: str | None, opsn_name: str | None = None
) -> ActionItemInfo:
    return ActionItemInfo(
        id=row.id,
        collectivite_id=row.collectivite_id,
        question_id=row.question_id,
        status=ItemStatus(row.status),
        reason=row.reason,
        assignee_id=row.assignee_id,
        assignee_name=assignee_name,
        due_date=row.due_date,
        snoozed_until=row.snoozed_until,
        reminders_muted=row.reminders_muted,
        created_at=row.created_at,
        updated_at=row.updated_at,
        origin=ItemOrigin(row.origin or ItemOrigin.REFERENTIAL),
        title=row.title,
        details=row.details,
        theme_id=row.theme_id,
        priority=row.priority,
        opsn_id=row.opsn_id,
        opsn_name=opsn_name,
    )


def event_value(value: object) -> str | None:
    """How a field value is written in the change log (dates ISO, booleans true/false)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:300]


class SqlPlan:
    def __init__(self, session: Session) -> None:
        self.session = session

    def items(self, collectivite_id: int) -> list[ActionItemInfo]:
        rows = self.session.execute(
            _ITEM_ROWS.where(ActionItem.collectivite_id == collectivite_id).order_by(ActionItem.id)
        )
        return [item_info(row, name, opsn) for row, name, opsn in rows.all()]

    def item(self, item_id: int) -> ActionItemInfo | None:
        found = self.session.execute(_ITEM_ROWS.where(ActionItem.id == item_id)).first()
        return item_info(found[0], found[1], found[2]) if found else None

    def item_for_question(self, collectivite_id: int, question_id: str) -> ActionItemInfo | None:
        found = self.session.execute(
            _ITEM_FOR_QUESTION, {"b_cid": collectivite_id, "b_qid": question_id}
        ).first()
        return item_info(found[0], found[1], found[2]) if found else None

    def follow_answer(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        settled: bool,
        actor_id: int | None,
        now: datetime,
    ) -> PlanMove:
        # Each move is "log the change if the item is in the old status, then change it": the log
        # INSERT … SELECT reads the old status and says by its row count whether there was a move.
        params = {"b_cid": collectivite_id, "b_qid": question_id, "b_actor": actor_id, "b_now": now}
        if settled:
            moved = self._move_status(_CLOSE, ItemStatus.REALISE, params, question_id)
            return PlanMove.CLOSED if moved else PlanMove.NONE
        if self._move_status(_REOPEN, ItemStatus.A_FAIRE, params, question_id):
            return PlanMove.REOPENED
        created = self.session.scalar(
            _create_item(self.session),
            {
                "collectivite_id": collectivite_id,
                "question_id": question_id,
                "origin": ItemOrigin.REFERENTIAL.value,
                "status": ItemStatus.A_FAIRE,
                "reason": "",
                "reminders_muted": False,
                "reminders_from": now,
                "created_at": now,
                "updated_at": now,
            },
        )
        if created is None:
            return PlanMove.NONE
        self.session.execute(
            _INSERT_EVENT,
            {
                "action_item_id": created,
                "actor_id": actor_id,
                "field": "status",
                "old_value": None,
                "new_value": ItemStatus.A_FAIRE,
                "at": now,
            },
        )
        return PlanMove.CREATED

    def _move_status(
        self,
        statements: tuple[Any, Any],
        status: ItemStatus,
        params: dict[str, object],
        question_id: str,
    ) -> bool:
        log, change = statements
        logged = self.session.scalars(log, {**params, "b_new_status": str(status)}).all()
        if not logged:
            return False
        changed = self.session.execute(change, {**params, "b_status": status})
        if rowcount(changed) != 1:  # PostgreSQL: another event moved it after our log row
            raise Conflict(f"action item of {question_id} changed meanwhile")
        return True

    def create_item(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        actor_id: int | None,
        now: datetime,
        opsn_id: int | None = None,
    ) -> ActionItemInfo:
        return self._create(
            ActionItem(
                collectivite_id=collectivite_id,
                question_id=question_id,
                origin=ItemOrigin.REFERENTIAL.value,
                opsn_id=opsn_id,
                assignee_id=None,
                due_date=None,
            ),
            actor_id,
            now,
        )

    def create_own_item(
        self,
        collectivite_id: int,
        *,
        origin: ItemOrigin,
        title: str,
        details: str | None,
        theme_id: str | None,
        priority: int,
        due_date: date | None,
        assignee_id: int | None,
        opsn_id: int | None,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        return self._create(
            ActionItem(
                collectivite_id=collectivite_id,
                question_id=None,
                origin=ItemOrigin(origin).value,
                title=title,
                details=details,
                theme_id=theme_id,
                priority=priority,
                opsn_id=opsn_id,
                assignee_id=assignee_id,
                due_date=due_date,
            ),
            actor_id,
            now,
        )

    def _create(self, row: ActionItem, actor_id: int | None, now: datetime) -> ActionItemInfo:
        """Insert a new « à faire » item and log its creation as a status change from nothing."""
        for field, value in (
            ("status", ItemStatus.A_FAIRE),
            ("reason", ""),
            ("snoozed_until", None),
            ("reminders_muted", False),
            ("reminders_from", now),
            ("created_at", now),
            ("updated_at", now),
        ):
            setattr(row, field, value)
        self.session.add(row)
        self.session.flush()
        self.session.add(
            ActionEvent(
                action_item_id=row.id,
                actor_id=actor_id,
                field="status",
                old_value=None,
                new_value=ItemStatus.A_FAIRE,
                at=now,
            )
        )
        self.session.flush()
        return self._info(row)

    def delete_own_item(self, item_id: int) -> bool:
        own = select(ActionItem.id).where(
            ActionItem.id == item_id, ActionItem.question_id.is_(None)
        )
        if self.session.scalar(own.with_for_update()) is None:
            return False
        self.session.execute(delete(ActionEvent).where(ActionEvent.action_item_id == item_id))
        self.session.execute(delete(ActionItem).where(ActionItem.id == item_id))
        return True

    def update_item(
        self,
        item_id: int,
        changes: Mapping[str, object],
        *,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        unknown = set(changes) - ITEM_FIELDS
        if unknown:
            raise ValueError(f"unknown action item fields: {sorted(unknown)}")
        row = self.session.scalar(
            select(ActionItem).where(ActionItem.id == item_id).with_for_update()
        )
        if row is None:
            raise LookupError(f"action item {item_id} not found")
        moved = False
        for field, new in changes.items():
            old = getattr(row, field)
            if old == new:
                continue
            setattr(row, field, new)
            moved = True
            self.session.add(
                ActionEvent(
                    action_item_id=row.id,
                    actor_id=actor_id,
                    field=field,
                    old_value=event_value(old),
                    new_value=event_value(new),
                    at=now,
                )
            )
        if moved:
            row.updated_at = now
            row.reminders_from = now  # reminders that fell due before this change are not sent
        self.session.flush()
        return self._info(row)

    def _info(self, row: ActionItem) -> ActionItemInfo:
        """The record of a row just written, with its assignee's and OPSN's names."""
        name = opsn = None
        if row.assignee_id is not None:
            name = self.session.scalar(select(User.display_name).where(User.id == row.assignee_id))
        if row.opsn_id is not None:
            opsn = self.session.scalar(select(Opsn.name).where(Opsn.id == row.opsn_id))
        return item_info(row, name, opsn)

    def events(self, item_id: int, limit: int = 10) -> list[ActionEventInfo]:
        rows = self.session.execute(
            select(ActionEvent, User.display_name)
            .outerjoin(User, User.id == ActionEvent.actor_id)
            .where(ActionEvent.action_item_id == item_id)
            .order_by(ActionEvent.at.desc(), ActionEvent.id.desc())
            .limit(limit)
        )
        return [
            ActionEventInfo(
                actor_id=event.actor_id,
                actor_name=name,
                field=event.field,
                old_value=event.old_value,
                new_value=event.new_value,
                at=event.at,
            )
            for event, name in rows.all()
        ]
