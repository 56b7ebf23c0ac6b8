"""The roadmap's own reads and writes: the team's target and the score history.

Implements `dialogs.ports.RoadmapStore` in the caller's session; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dialogs.records import ScorePoint, TargetInfo
from storage.models import Answer, ScoreSnapshot, Target
from storage.people import rowcount


def _info(row: Target) -> TargetInfo:
    return TargetInfo(
        collectivite_id=row.collectivite_id,
        grade=row.grade,
        index=row.index,
        due_date=row.due_date,
        set_by=row.set_by,
        set_at=row.set_at,
    )


@dataclass(frozen=True)
class TargetFacts:
    """A target and the answers its progress is measured on (dialogs.reminders.planning)."""

    target: TargetInfo
    answers: dict[str, str] = field(default_factory=dict)


def targets_with_answers(
    session: Session, collectivite_ids: Collection[int]
) -> dict[int, TargetFacts]:
    """The targets of these collectivités (those that have one) and their answers, in one
    statement: the monthly tick reads them for a whole batch of administrators at once."""
    ids = sorted(collectivite_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Target, Answer.question_id, Answer.value)
        .outerjoin(Answer, Answer.collectivite_id == Target.collectivite_id)
        .where(Target.collectivite_id.in_(ids))
    )
    found: dict[int, TargetFacts] = {}
    for target, question_id, value in rows.all():
        facts = found.get(target.collectivite_id)
        if facts is None:
            facts = found[target.collectivite_id] = TargetFacts(_info(target))
        if question_id is not None:
            facts.answers[question_id] = value
    return found


class SqlRoadmap:
    def __init__(self, session: Session) -> None:
        self.session = session

    def target(self, collectivite_id: int) -> TargetInfo | None:
        row = self.session.get(Target, collectivite_id)
        return _info(row) if row is not None else None

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
        if (grade is None) == (index is None):
            raise ValueError("a target is either a letter or an index")
        row = self.session.scalar(
            select(Target).where(Target.collectivite_id == collectivite_id).with_for_update()
        )
        if row is None:
            row = Target(collectivite_id=collectivite_id)
            self.session.add(row)
        row.grade, row.index, row.due_date = grade, index, due_date
        row.set_by, row.set_at = user_id, now
        self.session.flush()
        return _info(row)

    def clear_target(self, collectivite_id: int) -> bool:
        done = self.session.execute(delete(Target).where(Target.collectivite_id == collectivite_id))
        return rowcount(done) > 0

    def history(self, collectivite_id: int) -> list[ScorePoint]:
        rows = self.session.execute(
            select(
                ScoreSnapshot.created_at,
                ScoreSnapshot.index,
                ScoreSnapshot.grade,
                ScoreSnapshot.answered,
                ScoreSnapshot.total,
            )
            .where(ScoreSnapshot.collectivite_id == collectivite_id)
            .order_by(ScoreSnapshot.created_at, ScoreSnapshot.id)
        )
        return [ScorePoint(*row) for row in rows.all()]
