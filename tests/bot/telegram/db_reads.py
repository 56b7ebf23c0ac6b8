"""Read what the bot stored, to compare with what the user saw."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.models import Answer, AnswerHistory, Collectivite, ProcessedEvent

SIRET = "21310555400017"


def collectivite(sessions: Any, siret: str = SIRET) -> Collectivite:
    with sessions() as session:
        row = session.scalar(select(Collectivite).where(Collectivite.siret == siret))
        assert row is not None, f"no collectivité {siret}"
        return row  # type: ignore[no-any-return]


def answers(sessions: Any, siret: str = SIRET) -> dict[str, str]:
    row = collectivite(sessions, siret)
    with sessions() as session:
        found = session.execute(
            select(Answer.question_id, Answer.value).where(Answer.collectivite_id == row.id)
        )
        return {qid: value for qid, value in found.all()}


def history_count(sessions: Any, siret: str = SIRET) -> int:
    row = collectivite(sessions, siret)
    with sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(AnswerHistory)
            .where(AnswerHistory.collectivite_id == row.id)
        )
        return int(count or 0)


def processed_events(sessions: Any) -> int:
    with sessions() as session:
        count = session.scalar(select(func.count()).select_from(ProcessedEvent))
        return int(count or 0)
