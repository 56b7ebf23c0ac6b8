"""Action plan storage: items born from answers or added by the team (or its OPSN), and their
append-only change log.

Implements `dialogs.ports.PlanStore` in the caller's session; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Table,
    bindparam,
    delete,
    select,
)
from sqlalchemy.orm import Session

from dialogs.ports import Followed
from dialogs.records import (
    ITEM_FIELDS,
    ActionEventInfo,
    ActionItemInfo,
    ClosedInfo,
    ItemOrigin,
    ItemStatus,
)
from storage.models import ActionEvent, ActionItem, Opsn, User
from storage.plan_moves import closed_since, follow_answer

ITEMS = cast(Table, ActionItem.__table__)
EVENTS = cast(Table, ActionEvent.__table__)

# An item with its assignee's name and its OPSN's name (when an OPSN proposed it).
_I = ITEMS.c
_ITEM_ROWS = (
    select(ActionItem, User.display_name, Opsn.name)
    .outerjoin(User, User.id == ActionItem.assignee_id)
    .outerjoin(Opsn, Opsn.id == ActionItem.opsn_id)
)
_ITEM_FOR_QUESTION = _ITEM_ROWS.where(
    ActionItem.collectivite_id == bindparam("b_cid", type_=_I.collectivite_id.type),
    ActionItem.question_id == bindparam("b_qid", type_=_I.question_id.type),
)


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
    ) -> Followed:
        return follow_answer(
            self.session, collectivite_id, question_id, settled=settled, actor_id=actor_id, now=now
        )

    def closed_since(self, collectivite_id: int, since: datetime) -> list[ClosedInfo]:
        return closed_since(self.session, collectivite_id, since)

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
