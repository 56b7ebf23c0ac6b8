"""How answers move their question's action item (create, close, reopen, each logged in one
statement pair), and which items were closed since a moment (administrators' notices).

Split from storage.plan, which keeps the items themselves; nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from dialogs.ports import Conflict, Followed, PlanMove
from dialogs.records import ClosedInfo, ItemOrigin, ItemStatus, Role
from storage.db import insert_or
from storage.models import ActionEvent, ActionItem, Membership, User
from storage.people import rowcount

ITEMS = cast(Table, ActionItem.__table__)
EVENTS = cast(Table, ActionEvent.__table__)
_INSERT_EVENT = insert(EVENTS)

# The statements of `follow_answer` and `item_for_question`, built once: a call binds its values
# and SQLAlchemy reuses the statement's cache key and compiled form. Parameters named `b_…` never
# clash with the names SQLAlchemy gives the columns of a VALUES or SET clause.
_I = ITEMS.c
_WHERE = (
    _I.collectivite_id == bindparam("b_cid", type_=_I.collectivite_id.type),
    _I.question_id == bindparam("b_qid", type_=_I.question_id.type),
)


# On a close, the log row comes back with the number of the collectivité's administrators other
# than the actor: whether anyone is to be told costs no statement of its own.
_OTHER_ADMINS = (
    select(func.count())
    .select_from(Membership)
    .where(
        Membership.collectivite_id == bindparam("b_cid", type_=_I.collectivite_id.type),
        Membership.role == Role.ADMIN.value,
        Membership.user_id != func.coalesce(bindparam("b_actor", type_=EVENTS.c.actor_id.type), 0),
    )
    .scalar_subquery()
)


def _move_status_statements(
    when: ColumnElement[bool], *returning: ColumnElement[Any]
) -> tuple[Any, Any]:
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
        .returning(EVENTS.c.id, *returning)
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


_CLOSE = _move_status_statements(_I.status != ItemStatus.REALISE, _OTHER_ADMINS)
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


def follow_answer(
    session: Session,
    collectivite_id: int,
    question_id: str,
    *,
    settled: bool,
    actor_id: int | None,
    now: datetime,
) -> Followed:
    # Each move is "log the change if the item is in the old status, then change it": the log
    # INSERT … SELECT reads the old status and says by its row count whether there was a move.
    params = {"b_cid": collectivite_id, "b_qid": question_id, "b_actor": actor_id, "b_now": now}
    if settled:
        logged = _move_status(session, _CLOSE, ItemStatus.REALISE, params, question_id)
        if not logged:
            return Followed(PlanMove.NONE)
        return Followed(PlanMove.CLOSED, others_to_tell=logged[0][1] > 0)
    if _move_status(session, _REOPEN, ItemStatus.A_FAIRE, params, question_id):
        return Followed(PlanMove.REOPENED)
    created = session.scalar(
        _create_item(session),
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
        return Followed(PlanMove.NONE)
    session.execute(
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
    return Followed(PlanMove.CREATED)


def _move_status(
    session: Session,
    statements: tuple[Any, Any],
    status: ItemStatus,
    params: dict[str, object],
    question_id: str,
) -> list[Any]:
    """The log rows written (none: no move)."""
    log, change = statements
    logged = list(session.execute(log, {**params, "b_new_status": str(status)}).all())
    if not logged:
        return logged
    changed = session.execute(change, {**params, "b_status": status})
    if rowcount(changed) != 1:  # PostgreSQL: another event moved it after our log row
        raise Conflict(f"action item of {question_id} changed meanwhile")
    return logged


def closed_since(session: Session, collectivite_id: int, since: datetime) -> list[ClosedInfo]:
    last = (
        select(
            ActionEvent.action_item_id.label("item_id"),
            func.max(ActionEvent.id).label("event_id"),
        )
        .join(ActionItem, ActionItem.id == ActionEvent.action_item_id)
        .where(
            ActionItem.collectivite_id == collectivite_id,
            ActionItem.status == ItemStatus.REALISE,
            ActionEvent.field == "status",
            ActionEvent.new_value == ItemStatus.REALISE,
        )
        .group_by(ActionEvent.action_item_id)
        .subquery()
    )
    rows = session.execute(
        select(
            ActionItem.id,
            ActionItem.question_id,
            ActionEvent.actor_id,
            User.display_name,
            ActionEvent.at,
            ActionItem.title,
        )
        .join(last, last.c.item_id == ActionItem.id)
        .join(ActionEvent, ActionEvent.id == last.c.event_id)
        .outerjoin(User, User.id == ActionEvent.actor_id)
        .where(ActionEvent.at >= since)
        .order_by(ActionEvent.at, ActionEvent.id)
    )
    return [ClosedInfo(*row) for row in rows.all()]
