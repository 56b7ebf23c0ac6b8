"""The action plan: items born from answers or added by the team (or its OPSN), their history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from dialogs.records import (
    ActionEventInfo,
    ActionItemInfo,
    ItemOrigin,
)


class PlanMove(StrEnum):
    """What an answer did to its question's action item (`PlanStore.follow_answer`)."""

    NONE = "none"
    CREATED = "created"
    REOPENED = "reopened"
    CLOSED = "closed"


class PlanStore(Protocol):
    """Action items and their change log."""

    def items(self, collectivite_id: int) -> list[ActionItemInfo]: ...

    def item(self, item_id: int) -> ActionItemInfo | None: ...

    def item_for_question(
        self, collectivite_id: int, question_id: str
    ) -> ActionItemInfo | None: ...

    def create_item(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        actor_id: int | None,
        now: datetime,
        opsn_id: int | None = None,
    ) -> ActionItemInfo:
        """A new « à faire » item (its creation is logged as a status change from nothing)."""
        ...

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
        """A new « à faire » item without a question (the team's, or proposed by an OPSN); its
        creation is logged like `create_item`'s. `priority` is a referential weight."""
        ...

    def delete_own_item(self, item_id: int) -> bool:
        """Delete an item without a question, with its change log; False if there is no such item
        (gone already, or a referential item: those follow the answers and are never deleted)."""
        ...

    def update_item(
        self,
        item_id: int,
        changes: Mapping[str, object],
        *,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        """Apply `changes` (keys from records.ITEM_FIELDS), logging one event per field that moved."""
        ...

    def events(self, item_id: int, limit: int = 10) -> list[ActionEventInfo]:
        """The newest changes first."""
        ...

    def follow_answer(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        settled: bool,
        actor_id: int | None,
        now: datetime,
    ) -> PlanMove:
        """Keep the question's item in step with a new answer, logging the change.

        `settled` (full credit): an item not yet « réalisé » becomes so (CLOSED). Otherwise: no item
        yet, one is created « à faire » (CREATED); a « réalisé » one is reopened (REOPENED); any
        other status is the team's choice and stays (NONE).
        """
        ...
