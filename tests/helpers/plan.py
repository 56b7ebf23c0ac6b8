"""Action-plan test helpers: a settable clock, team members, item lookups, reminder outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
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
    return ChatService(sessions, referential, EngineConfig(), clock=clock)


async def user_id(sessions: Any, external_id: str) -> int:
    async with sessions() as session:
        uid = await session.scalar(select(User.id).where(User.external_id == external_id))
        assert uid is not None, external_id
        return uid


async def join_team(
    sessions: Any, driver: ChatDriver, admin_external_id: str, role: str = "member"
) -> int:
    """Put the driver's person in the admin's team (the team flow itself is tested elsewhere)."""
    await driver.say("/start")
    async with sessions() as session, session.begin():
        admin = await session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.external_id == admin_external_id)
        )
        assert admin is not None
        uid = await session.scalar(
            select(User.id).where(User.external_id == driver.sender.external_id)
        )
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
        return uid


async def item_id(sessions: Any, question_id: str, collectivite_id: int | None = None) -> int:
    async with sessions() as session:
        query = select(ActionItem.id).where(ActionItem.question_id == question_id)
        if collectivite_id is not None:
            query = query.where(ActionItem.collectivite_id == collectivite_id)
        found = await session.scalar(query)
        assert found is not None, question_id
        return found


async def item_row(sessions: Any, item: int) -> ActionItem:
    async with sessions() as session:
        row = await session.get(ActionItem, item)
        assert row is not None
        return row


async def outbox_rows(sessions: Any, prefix: str = "") -> list[OutboxMessage]:
    async with sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
        return list(rows)
