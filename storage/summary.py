"""Read-only queries of the web summary page that no other feature needs: the last change and the
index history of one collectivité. Both go through the `collectivite_id` indexes, so a page costs
the same with 36 000 collectivités as with ten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogs.records import ERASED_CHANNEL
from storage.models import AnswerHistory, ScoreSnapshot, User
from storage.privacy import FORMER_MEMBER


@dataclass(frozen=True)
class LastChange:
    at: datetime
    author: str  # display name, "" when the author is unknown or gone


@dataclass(frozen=True)
class HistoryPoint:
    at: datetime
    index: int
    grade: str
    answered: int
    total: int


def last_change(session: Session, collectivite_id: int) -> LastChange | None:
    """The newest answer given or cleared, and by whom."""
    row = (
        session.execute(
            select(AnswerHistory.answered_at, User.display_name, User.channel)
            .outerjoin(User, User.id == AnswerHistory.answered_by)
            .where(AnswerHistory.collectivite_id == collectivite_id)
            .order_by(AnswerHistory.answered_at.desc(), AnswerHistory.id.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    author = FORMER_MEMBER if row[2] == ERASED_CHANNEL else row[1] or ""
    return LastChange(at=row[0], author=author)


def history(session: Session, collectivite_id: int) -> list[HistoryPoint]:
    rows = session.execute(
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
    return [HistoryPoint(*row) for row in rows.all()]
