"""Answers and scores of a collectivité."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dialogs.records import AreaAverages, ScoreRecord


class AnswerStore(Protocol):
    """A collectivité's answers and its score history."""

    def of(self, collectivite_id: int) -> dict[str, str]:
        """Question id -> stored answer value."""
        ...

    def set(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
        score: ScoreRecord | None = None,
    ) -> bool:
        """Store (or clear, with None) an answer and log it; False when nothing changed.

        With `score` (the score of the answers after this one), the same as `record_score` after
        it, in one write of the collectivité: its last activity, and its score when that moved.
        """
        ...

    def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        """Update the current score, the peer statistics, and the history when it moved."""
        ...

    def area_averages(self, collectivite_id: int) -> AreaAverages:
        """Average index of its département, région, France and its OPSN's collectivités (those
        that answered), each only when at least five others are in the group."""
        ...
