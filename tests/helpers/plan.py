"""Action-plan test helpers: a settable clock, answers that open items, team members, item lookups,
reminder outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import AnswerType, Referential
from storage.database import SqlDatabase
from storage.models import ActionItem, Membership, OutboxMessage, User
from tests.helpers.chat import ChatDriver

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@dataclass
class Clock:
    """A clock the test moves by hand; pass it to ChatService(clock=...)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


def service_with(sessions: Any, referential: Referential, clock: Clock) -> ChatService:
    """The real service on SQL (the plan tests read the rows it writes)."""
    return ChatService(SqlDatabase(sessions), referential, EngineConfig(), clock=clock)


def worst(referential: Referential, qid: str) -> str:
    """The answer of least credit: « non », or the weakest option of a choice question."""
    q = referential.question(qid)
    if q.answer_type is AnswerType.CHOICE:
        return min(q.options, key=lambda o: o.credit).id
    return "non"


async def answer(driver: ChatDriver, referential: Referential, answers: dict[str, str]) -> None:
    """Answer by button; "non" means the worst answer of the question."""
    for qid, value in answers.items():
        await driver.tap(f"a:{qid}:{worst(referential, qid) if value == 'non' else value}")


def user_id(sessions: Any, external_id: str) -> int:
    with sessions() as session:
        uid = session.scalar(select(User.id).where(User.external_id == external_id))
        assert uid is not None, external_id
        return int(uid)


async def join_team(
    sessions: Any, driver: ChatDriver, admin_external_id: str, role: str = "member"
) -> int:
    """Put the driver's person in the admin's team (the team flow itself is tested elsewhere)."""
    await driver.say("/start")
    with sessions() as session, session.begin():
        admin = session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.external_id == admin_external_id)
        )
        assert admin is not None
        uid = session.scalar(select(User.id).where(User.external_id == driver.sender.external_id))
        assert uid is not None
        session.add(
            Membership(
                collectivite_id=admin.collectivite_id,
                user_id=uid,
                role=role,
                function_label="",
                created_at=admin.created_at,
            )
        )
        return int(uid)


def item_id(sessions: Any, question_id: str, collectivite_id: int | None = None) -> int:
    with sessions() as session:
        query = select(ActionItem.id).where(ActionItem.question_id == question_id)
        if collectivite_id is not None:
            query = query.where(ActionItem.collectivite_id == collectivite_id)
        found = session.scalar(query)
        assert found is not None, question_id
        return int(found)


def item_row(sessions: Any, item: int) -> ActionItem:
    with sessions() as session:
        row = session.get(ActionItem, item)
        assert isinstance(row, ActionItem)
        return row


def outbox_rows(sessions: Any, prefix: str = "") -> list[OutboxMessage]:
    with sessions() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
        return list(rows)
