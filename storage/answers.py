"""A collectivité's answers, their history, and its score (current value, history, peer bins).

Implements `dialogs.ports.AnswerStore` in the caller's session; nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from dialogs.records import ScoreRecord
from storage import peers
from storage.models import Answer, AnswerHistory, Collectivite, ScoreSnapshot


class SqlAnswers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of(self, collectivite_id: int) -> dict[str, str]:
        rows = self.session.execute(
            select(Answer.question_id, Answer.value).where(
                Answer.collectivite_id == collectivite_id
            )
        )
        return {qid: value for qid, value in rows.all()}

    def set(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        current = self.session.get(Answer, (collectivite_id, question_id))
        if (current.value if current else None) == value:
            return False
        if value is None:
            self.session.execute(
                delete(Answer).where(
                    Answer.collectivite_id == collectivite_id, Answer.question_id == question_id
                )
            )
        elif current is None:
            self.session.add(
                Answer(
                    collectivite_id=collectivite_id,
                    question_id=question_id,
                    referential_version=referential_version,
                    value=value,
                    answered_by=user_id,
                    answered_at=now,
                )
            )
        else:
            current.value = value
            current.referential_version = referential_version
            current.answered_by = user_id
            current.answered_at = now
        self.session.add(
            AnswerHistory(
                collectivite_id=collectivite_id,
                question_id=question_id,
                referential_version=referential_version,
                value=value,
                answered_by=user_id,
                answered_at=now,
            )
        )
        self.session.execute(
            update(Collectivite)
            .where(Collectivite.id == collectivite_id)
            .values(last_activity_at=now)
        )
        self.session.flush()
        return True

    def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        """Update the denormalised score, the peer bins, and append a history point if it moved."""
        row = self.session.get(Collectivite, collectivite_id)
        if row is None:
            return
        old_index, old_answered = row.current_index, row.answered_count
        if old_index == score.index and old_answered == score.answered:
            return
        peers.move(
            self.session,
            row.kind,
            row.population,
            old_index if old_answered else None,
            score.index if score.answered else None,
        )
        row.current_index = score.index
        row.current_grade = score.grade
        row.answered_count = score.answered
        row.last_activity_at = now
        self.session.add(
            ScoreSnapshot(
                collectivite_id=collectivite_id,
                index=score.index,
                grade=score.grade,
                answered=score.answered,
                total=score.total,
                created_by=user_id,
                created_at=now,
            )
        )
        self.session.flush()
