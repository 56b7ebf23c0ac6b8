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

from sqlalchemy import Column, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from dialogs.ports import Conflict
from dialogs.records import AreaAverages, ScoreRecord
from storage import area_stats, peers
from storage.models import Answer, AnswerHistory, Collectivite, ScoreSnapshot
from storage.people import rowcount

ANSWERS = cast(Table, Answer.__table__)
HISTORY = cast(Table, AnswerHistory.__table__)
COLLECTIVITES = cast(Table, Collectivite.__table__)
SNAPSHOTS = cast(Table, ScoreSnapshot.__table__)


def _param(name: str, column: Column[Any]) -> BindParameter[Any]:
    return bindparam(name, type_=column.type)


# The statements of an answer, built once: a call binds its values and SQLAlchemy reuses the
# statement's cache key and compiled form instead of building clauses again. Parameters named
# `b_…` never clash with the names SQLAlchemy gives the columns of a VALUES or SET clause.
_A, _K = ANSWERS.c, COLLECTIVITES.c
_KEY = (
    _A.collectivite_id == _param("b_cid", _A.collectivite_id),
    _A.question_id == _param("b_qid", _A.question_id),
)
_GIVEN = {
    "referential_version": _param("b_version", _A.referential_version),
    "answered_by": _param("b_by", _A.answered_by),
    "answered_at": _param("b_at", _A.answered_at),
}
_READ_ANSWERS = select(_A.question_id, _A.value).where(_KEY[0])
_DELETE_ANSWER = delete(ANSWERS).where(*_KEY)
_INSERT_ANSWER = insert(ANSWERS)
_UPDATE_ANSWER = update(ANSWERS).where(*_KEY).values(value=_param("b_value", _A.value), **_GIVEN)
_INSERT_HISTORY = insert(HISTORY)
_INSERT_SNAPSHOT = insert(SNAPSHOTS)
_TOUCH = (
    update(COLLECTIVITES)
    .where(_K.id == _param("b_cid", _K.id))
    .values(last_activity_at=_param("b_now", _K.last_activity_at))
)
_READ_STANDING = select(_K.kind, _K.population, _K.current_index, _K.answered_count).where(
    _K.id == _param("b_cid", _K.id)
)
# Optimistic, like conversations: the peer bins moved from the score this unit of work read; if
# another one changed it meanwhile (PostgreSQL), the whole event runs again.
_MOVE_SCORE = (
    update(COLLECTIVITES)
    .where(
        _K.id == _param("b_cid", _K.id),
        _K.current_index == _param("b_old_index", _K.current_index),
        _K.answered_count == _param("b_old_answered", _K.answered_count),
    )
    .values(
        current_index=_param("b_index", _K.current_index),
        current_grade=_param("b_grade", _K.current_grade),
        answered_count=_param("b_answered", _K.answered_count),
        last_activity_at=_param("b_now", _K.last_activity_at),
    )
)


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
            rows = self.session.execute(_READ_ANSWERS, {"b_cid": collectivite_id})
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
        row = {
            "collectivite_id": collectivite_id,
            "question_id": question_id,
            "value": value,
            "referential_version": referential_version,
            "answered_by": user_id,
            "answered_at": now,
        }
        if value is None:
            self.session.execute(_DELETE_ANSWER, {"b_cid": collectivite_id, "b_qid": question_id})
            del answers[question_id]
        elif current is None:
            self.session.execute(_INSERT_ANSWER, row)
        else:
            self.session.execute(
                _UPDATE_ANSWER,
                {
                    "b_cid": collectivite_id,
                    "b_qid": question_id,
                    "b_value": value,
                    "b_version": referential_version,
                    "b_by": user_id,
                    "b_at": now,
                },
            )
        if value is not None:
            answers[question_id] = value
        self.session.execute(_INSERT_HISTORY, row)
        if score is None or not self._move(collectivite_id, score, user_id=user_id, now=now):
            self._touch(collectivite_id, now)
        return True

    def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        """Update the denormalised score, the peer bins, and append a history point if it moved."""
        self._move(collectivite_id, score, user_id=user_id, now=now)

    def area_averages(self, collectivite_id: int) -> AreaAverages:
        return area_stats.averages(self.session, collectivite_id)

    def _touch(self, collectivite_id: int, now: datetime) -> None:
        self.session.execute(_TOUCH, {"b_cid": collectivite_id, "b_now": now})

    def _standing_of(self, collectivite_id: int) -> Standing | None:
        known = self._standing.get(collectivite_id)
        if known is not None:
            return known
        row = self.session.execute(_READ_STANDING, {"b_cid": collectivite_id}).first()
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
        result = self.session.execute(
            _MOVE_SCORE,
            {
                "b_cid": collectivite_id,
                "b_old_index": old.index,
                "b_old_answered": old.answered,
                "b_index": score.index,
                "b_grade": score.grade,
                "b_answered": score.answered,
                "b_now": now,
            },
        )
        if rowcount(result) != 1:
            raise Conflict(f"score of collectivité {collectivite_id} changed meanwhile")
        self._standing[collectivite_id] = replace(old, index=score.index, answered=score.answered)
        self.session.execute(
            _INSERT_SNAPSHOT,
            {
                "collectivite_id": collectivite_id,
                "index": score.index,
                "grade": score.grade,
                "answered": score.answered,
                "total": score.total,
                "created_by": user_id,
                "created_at": now,
            },
        )
        return True
