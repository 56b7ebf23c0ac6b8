"""Page values: the merged action plan, its filters, the compact history, the dashboard order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from dialogs.records import ActionItemInfo, ItemOrigin, ItemStatus
from referential.models import Priority, Referential
from referential.scoring import open_recommendations
from storage.peers import PeerStats
from storage.summary import HistoryPoint
from web_summary.schemas import FollowedOut, PlanFilters
from web_summary.views import (
    HISTORY_LIMIT,
    action_plan,
    compact_history,
    filter_plan,
    peer_figures,
    sort_followed,
)

T = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def item(qid: str, status: ItemStatus, name: str | None = None) -> ActionItemInfo:
    return ActionItemInfo(
        id=1,
        collectivite_id=1,
        question_id=qid,
        status=status,
        reason="",
        assignee_id=None,
        assignee_name=name,
        due_date=date(2027, 1, 1),
        snoozed_until=None,
        reminders_muted=False,
        created_at=T,
        updated_at=T,
    )


def test_own_actions_join_the_plan_with_their_title_and_origin(referential: Referential) -> None:
    questions = referential.level_questions(1)
    theme = referential.level_themes(1)[1]
    own = replace(
        item("", ItemStatus.EN_COURS, "Dominique"),
        id=7,
        question_id=None,
        origin=ItemOrigin.TEAM,
        title="Éteindre les écrans le soir",
        theme_id=theme.id,
        priority=referential.weights[Priority.PRIORITAIRE],
    )
    rows = action_plan(referential, {questions[0].id: "non"}, [own])
    (mine,) = [r for r in rows if r.question_id is None]
    assert (mine.number, mine.title, mine.origin) == (
        "E7",
        "Éteindre les écrans le soir",
        "Action de l’équipe",
    )
    assert (mine.theme_id, mine.theme, mine.priority, mine.status) == (
        theme.id,
        theme.title,
        "prioritaire",
        "en_cours",
    )
    assert filter_plan(rows, PlanFilters(theme=theme.id)) == [mine]


def test_plan_merges_answers_and_stored_items(referential: Referential) -> None:
    questions = referential.level_questions(1)
    answers = {questions[0].id: "non", questions[1].id: "nsp", questions[2].id: "oui"}
    stored = [
        item(questions[1].id, ItemStatus.PLANIFIE, "Dominique"),
        item(questions[2].id, ItemStatus.REALISE),
    ]
    rows = action_plan(referential, answers, stored)
    by_id = {r.question_id: r for r in rows}
    assert by_id[questions[0].id].status == "a_faire" and by_id[questions[0].id].due_date is None
    assert (
        by_id[questions[1].id].status == "planifie"
        and by_id[questions[1].id].assignee == "Dominique"
    )
    assert by_id[questions[2].id].status == "realise"  # answered « oui » since: kept, as done
    assert [r.question_id for r in rows if r.status == "a_faire" or r.status == "planifie"] == [
        q.id for q in open_recommendations(referential, answers)
    ]
    assert filter_plan(rows, PlanFilters(status="realise")) == [by_id[questions[2].id]]
    assert action_plan(referential, {}, [item("GONE-99", ItemStatus.A_FAIRE)]) == []


def test_history_keeps_one_point_per_day_when_the_index_moves() -> None:
    points = [
        HistoryPoint(T, 10, "E", 1, 32),
        HistoryPoint(T + timedelta(hours=1), 12, "E", 2, 32),  # same day: the later wins
        HistoryPoint(T + timedelta(days=1), 12, "E", 3, 32),  # index unchanged: dropped
        HistoryPoint(T + timedelta(days=2), 30, "D", 4, 32),
        HistoryPoint(T + timedelta(days=3), 30, "D", 5, 32),  # unchanged but last: kept
    ]
    out = compact_history(points, "Europe/Paris")
    assert [(p.date.day, p.index, p.answered) for p in out] == [(1, 12, 2), (3, 30, 4), (4, 30, 5)]


def test_long_history_becomes_monthly_and_bounded() -> None:
    points = [HistoryPoint(T + timedelta(days=d), d % 100, "E", 1, 32) for d in range(2000)]
    out = compact_history(points, "Europe/Paris")
    assert len(out) == HISTORY_LIMIT
    assert out[-1].date == (T + timedelta(days=1999)).date()
    assert len({(p.date.year, p.date.month) for p in out}) == HISTORY_LIMIT


def test_dashboard_sort_keys() -> None:
    def row(name: str, index: int, grade: str, answered: int, day: int) -> FollowedOut:
        return FollowedOut(
            id=day,
            siret="1",
            name=name,
            kind="commune",
            departement="31",
            population=1,
            index=index,
            grade=grade,
            answered=answered,
            total=32,
            progress_percent=round(100 * answered / 32),
            last_activity=T + timedelta(days=day),
        )

    rows = [
        row("béziers", 50, "C", 10, 2),
        row("Albi", 80, "A", 32, 1),
        row("Castres", 0, "E", 0, 3),
    ]
    sort_followed(rows, "name", "asc", "ABCDE")
    assert [r.name for r in rows] == ["Albi", "béziers", "Castres"]
    sort_followed(rows, "index", "desc", "ABCDE")
    assert [r.index for r in rows] == [80, 50, 0]
    sort_followed(rows, "grade", "asc", "ABCDE")
    assert [r.name for r in rows] == ["Albi", "béziers", "Castres"]  # not started last
    sort_followed(rows, "activity", "desc", "ABCDE")
    assert [r.name for r in rows] == ["Castres", "béziers", "Albi"]
    sort_followed(rows, "progress", "asc", "ABCDE")
    assert [r.answered for r in rows] == [0, 10, 32]


def test_peers_need_five_others() -> None:
    four_others = PeerStats(count=5, q1=10, median=20, q3=30, below=2, above=2)
    assert peer_figures(four_others, 1200, counted=True) is None
    shown = peer_figures(four_others, 1200, counted=False)  # not answered yet: five others
    assert shown is not None and shown.band == "de 500 à 1 999 habitants"
    assert peer_figures(None, 1200, counted=False) is None
