"""What the action plan needs from storage: items, their change log, teammates, reminder settings.

Reached through `ctx.store.plan`; storage/plan.py implements it inside the event's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

# Status codes as stored; the order is the usual life of an item.
A_FAIRE = "a_faire"
PLANIFIE = "planifie"
EN_COURS = "en_cours"
REALISE = "realise"
NON_RETENU = "non_retenu"
STATUSES = (A_FAIRE, PLANIFIE, EN_COURS, REALISE, NON_RETENU)
OPEN_STATUSES = frozenset({A_FAIRE, PLANIFIE, EN_COURS})

# Fields `update_item` may change; each change is logged as an action event.
ITEM_FIELDS = frozenset(
    {"status", "reason", "assignee_id", "due_date", "snoozed_until", "reminders_muted"}
)


@dataclass(frozen=True)
class ActionItemInfo:
    id: int
    collectivite_id: int
    question_id: str
    status: str
    reason: str
    assignee_id: int | None
    assignee_name: str | None
    due_date: date | None
    snoozed_until: date | None
    reminders_muted: bool
    created_at: datetime
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class ActionEventInfo:
    actor_id: int | None
    actor_name: str | None
    field: str
    old_value: str | None
    new_value: str | None
    at: datetime


@dataclass(frozen=True)
class TeamMate:
    user_id: int
    display_name: str
    role: str


@dataclass(frozen=True)
class ReminderPrefs:
    paused: bool
    digest_weekday: int  # 0 = Monday … 4 = Friday
    digest_hour: int  # local hour, 8..19


class PlanStore(Protocol):
    async def items(self, collectivite_id: int) -> list[ActionItemInfo]: ...

    async def item(self, item_id: int) -> ActionItemInfo | None: ...

    async def item_for_question(
        self, collectivite_id: int, question_id: str
    ) -> ActionItemInfo | None: ...

    async def create_item(
        self, collectivite_id: int, question_id: str, *, actor_id: int | None, now: datetime
    ) -> ActionItemInfo:
        """A new « à faire » item (its creation is logged as a status change from nothing)."""
        ...

    async def update_item(
        self,
        item_id: int,
        changes: Mapping[str, object],
        *,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        """Apply `changes` (keys from ITEM_FIELDS), logging one event per field that moved."""
        ...

    async def events(self, item_id: int, limit: int = 10) -> list[ActionEventInfo]:
        """The newest changes first."""
        ...

    async def teammates(self, collectivite_id: int) -> list[TeamMate]: ...

    async def reminder_prefs(self, user_id: int) -> ReminderPrefs: ...

    async def set_reminder_prefs(
        self,
        user_id: int,
        *,
        now: datetime,
        paused: bool | None = None,
        digest_weekday: int | None = None,
        digest_hour: int | None = None,
    ) -> ReminderPrefs: ...
