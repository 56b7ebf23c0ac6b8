"""The progress line of /score and of the monthly summary: reached, actions left, time left."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dialogs.i18n import translator
from dialogs.records import TargetInfo
from dialogs.target.progress import progress_line, progress_of, time_left
from referential.models import Referential
from referential.scoring import maturity_index

SET_AT = datetime(2026, 12, 1, tzinfo=UTC)
TODAY = date(2026, 12, 2)


def target(grade: str | None = None, index: int | None = None) -> TargetInfo:
    return TargetInfo(1, grade, index, date(2027, 6, 30), 7, SET_AT)


def test_a_target_reached_says_so_and_nothing_else(referential: Referential) -> None:
    answers = {q.id: "oui" for q in referential.level_questions(1) if not q.options}
    index = maturity_index(referential, answers)
    progress = progress_of(referential, target(index=index), answers, TODAY)
    assert progress.reached and progress.actions_left == 0
    line = progress_line(translator("fr"), progress)
    assert line == f"Cible : indice {index} d’ici le 30 juin 2027 · indice {index}/100 · atteinte"


def test_the_actions_left_are_the_shortest_list(referential: Referential) -> None:
    answers = {q.id: "non" for q in referential.level_questions(1) if not q.options}
    progress = progress_of(referential, target(grade="C"), answers, TODAY)
    assert not progress.reached and progress.reachable and progress.actions_left >= 1
    line = progress_line(translator("fr"), progress)
    assert f"· encore {progress.actions_left} action" in line and line.endswith("6 mois restants")


def test_open_actions_that_cannot_reach_it_ask_for_the_questionnaire(
    referential: Referential,
) -> None:
    progress = progress_of(referential, target(grade="A"), {}, TODAY)  # nothing answered yet
    assert not progress.reachable
    assert "questions à compléter" in progress_line(translator("fr"), progress)


@pytest.mark.parametrize(
    ("due", "fr", "en"),
    [
        (date(2026, 12, 3), "1 jour restant", "1 day left"),
        (date(2027, 1, 31), "60 jours restants", "60 days left"),
        (date(2027, 2, 2), "2 mois restants", "2 months left"),
        (date(2027, 12, 1), "11 mois restants", "11 months left"),
        (date(2026, 12, 2), "0 jour restant", "0 days left"),
        (date(2026, 11, 30), "échéance dépassée", "deadline passed"),
    ],
)
def test_time_left(due: date, fr: str, en: str) -> None:
    assert time_left(translator("fr"), TODAY, due) == fr
    assert time_left(translator("en"), TODAY, due) == en
