"""The team's target and its score history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from dialogs.records import (
    ScorePoint,
    TargetInfo,
)


class RoadmapStore(Protocol):
    """What a roadmap needs beyond answers and plan: the team's target and the score history."""

    def target(self, collectivite_id: int) -> TargetInfo | None: ...

    def set_target(
        self,
        collectivite_id: int,
        *,
        grade: str | None,
        index: int | None,
        due_date: date,
        user_id: int | None,
        now: datetime,
    ) -> TargetInfo:
        """Replace the target (exactly one of `grade` and `index` is given)."""
        ...

    def clear_target(self, collectivite_id: int) -> bool: ...

    def history(self, collectivite_id: int) -> list[ScorePoint]:
        """Every recorded score change, oldest first."""
        ...
