"""A collectivité's answers, their history, and its score (current value, history, peer bins).

Implements `dialogs.ports.AnswerStore` in the caller's session; nothing here commits. The answers
of a collectivité are read once per unit of work (or handed over by `storage.database`, which reads
them with the user) and kept in step by `set`: an answer costs no second read. Core statements, no
ORM entities: an answer is a handful of small rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from dialogs.ports import Conflict
from dialogs.records import ScoreRecord
from storage import peers
from storage.models import Answer, AnswerHistory, Collectivite, ScoreSnapshot
from storage.people import rowcount

ANSWERS = cast(Table, Answer.__table__)
HISTORY = cast(Table, AnswerHistory.__table__)
COLLECTIVITES = cast(Table, Collectivite.__table__)
SNAPSHOTS = cast(Table, ScoreSnapshot.__table__)


@dataclass(frozen=True)
class Standing:
    """A collectivité's stored score and what places it among its peers."""

    kind: str
    population: int
    index: int
    answered: int


class SqlAnswers:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._answers: dict[int, dict[str, str]] = {}
        self._standing: dict[int, Standing] = {}

    def known(self, collectivite_id: int, answers: dict[str, str], standing: Standing) -> None:
        """What the caller read already in this unit of work (storage.database reads it with the
        user): `of`, `set` and `record_score` then start from it instead of reading again."""
        self._answers[collectivite_id] = answers
        self._standing[collectivite_id] = standing

    def _current(self, collectivite_id: int) -> dict[str, str]:
        found = self._answers.get(collectivite_id)
        if found is None:
            rows = self.session.execute(
                select(ANSWERS.c.question_id, ANSWERS.c.value).where(
                    ANSWERS.c.collectivite_id == collectivite_id
                )
            )
            found = self._answers[collectivite_id] = {qid: value for qid, value in rows.all()}
        return found

    def of(self, collectivite_id: int) -> dict[str, str]:
        return dict(self._current(collectivite_id))

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
        answers = self._current(collectivite_id)
        current = answers.get(question_id)
        if current == value:
            return False
        key = (
            ANSWERS.c.collectivite_id == collectivite_id,
            ANSWERS.c.question_id == question_id,
        )
        given = {
            "referential_version": referential_version,
            "answered_by": user_id,
            "answered_at": now,
        }
        if value is None:
            self.session.execute(delete(ANSWERS).where(*key))
            del answers[question_id]
        elif current is None:
            self.session.execute(
                insert(ANSWERS).values(
                    collectivite_id=collectivite_id, question_id=question_id, value=value, **given
                )
            )
        else:
            self.session.execute(update(ANSWERS).where(*key).values(value=value, **given))
        if value is not None:
            answers[question_id] = value
        self.session.execute(
            insert(HISTORY).values(
                collectivite_id=collectivite_id, question_id=question_id, value=value, **given
            )
        )
        if score is None or not self._move(collectivite_id, score, user_id=user_id, now=now):
            self._touch(collectivite_id, now)
        return True

    def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        """Update the denormalised score, the peer bins, and append a history point if it moved."""
        self._move(collectivite_id, score, user_id=user_id, now=now)

    def _touch(self, collectivite_id: int, now: datetime) -> None:
        self.session.execute(
            update(COLLECTIVITES)
            .where(COLLECTIVITES.c.id == collectivite_id)
            .values(last_activity_at=now)
        )

    def _standing_of(self, collectivite_id: int) -> Standing | None:
        known = self._standing.get(collectivite_id)
        if known is not None:
            return known
        c = COLLECTIVITES.c
        row = self.session.execute(
            select(c.kind, c.population, c.current_index, c.answered_count).where(
                c.id == collectivite_id
            )
        ).first()
        if row is None:
            return None
        known = self._standing[collectivite_id] = Standing(*row)
        return known

    def _move(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> bool:
        """Write a score that moved (one UPDATE of the collectivité, with its last activity);
        False when it did not move (nothing written)."""
        old = self._standing_of(collectivite_id)
        if old is None or (old.index, old.answered) == (score.index, score.answered):
            return False
        peers.move(
            self.session,
            old.kind,
            old.population,
            old.index if old.answered else None,
            score.index if score.answered else None,
        )
        c = COLLECTIVITES.c
        values: dict[str, Any] = {
            "current_index": score.index,
            "current_grade": score.grade,
            "answered_count": score.answered,
            "last_activity_at": now,
        }
        # Optimistic, like conversations: the peer bins moved from the score this unit of work
        # read; if another one changed it meanwhile (PostgreSQL), run the whole event again.
        result = self.session.execute(
            update(COLLECTIVITES)
            .where(
                c.id == collectivite_id,
                c.current_index == old.index,
                c.answered_count == old.answered,
            )
            .values(values)
        )
        if rowcount(result) != 1:
            raise Conflict(f"score of collectivité {collectivite_id} changed meanwhile")
        self._standing[collectivite_id] = replace(old, index=score.index, answered=score.answered)
        self.session.execute(
            insert(SNAPSHOTS).values(
                collectivite_id=collectivite_id,
                index=score.index,
                grade=score.grade,
                answered=score.answered,
                total=score.total,
                created_by=user_id,
                created_at=now,
            )
        )
        return True
