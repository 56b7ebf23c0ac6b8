"""The supervision page of a followed collectivité: what a referent sees in chat from
/collectivites (profile, index, theme scores, plan status, overdue actions, answers by theme).

Built with the chat's own helpers (`dialogs.opsn.supervision_view`), so both say the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dialogs.opsn.supervision_view import (
    answer_text,
    item_title,
    level_answered,
    overdue,
    visible_questions,
)
from dialogs.records import CollectiviteStatus, ItemStatus
from referential.models import Referential
from referential.scoring import Score, score
from storage.store import SqlStore
from web_summary.views import FR, STATUS_LABELS, kind_label


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    text: str
    answer: str
    answered: bool


@dataclass(frozen=True)
class ThemeAnswers:
    id: str
    title: str
    level: int
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class OverdueRow:
    title: str
    due: str
    assignee: str


@dataclass(frozen=True)
class Supervision:
    status: CollectiviteStatus
    kind_label: str
    score: Score
    level2: tuple[int, int]
    plan_total: int
    plan_counts: tuple[tuple[str, int], ...]
    overdue: tuple[OverdueRow, ...]
    themes: tuple[ThemeAnswers, ...]


def supervision(
    session: Session, ref: Referential, status: CollectiviteStatus, tz: str
) -> Supervision:
    cid = status.collectivite.id
    store = SqlStore(session)
    answers = store.answers.of(cid)
    items = store.plan.items(cid)
    today = datetime.now(UTC).astimezone(ZoneInfo(tz)).date()
    counts = Counter(i.status for i in items)
    return Supervision(
        status=status,
        kind_label=kind_label(status.collectivite.kind),
        score=score(ref, answers),
        level2=level_answered(ref, answers, 2),
        plan_total=len(items),
        plan_counts=tuple((STATUS_LABELS[s.value], counts[s]) for s in ItemStatus if counts.get(s)),
        overdue=tuple(
            OverdueRow(item_title(ref, i), FR.date(i.due_date, "long"), i.assignee_name or "")
            for i in overdue(items, today)
            if i.due_date is not None
        ),
        themes=tuple(
            ThemeAnswers(
                t.id,
                t.title,
                t.level,
                tuple(
                    AnswerRow(q.id, q.text, answer_text(FR, q, answers.get(q.id)), q.id in answers)
                    for q in visible_questions(ref, t, answers)
                ),
            )
            for t in ref.themes
        ),
    )
