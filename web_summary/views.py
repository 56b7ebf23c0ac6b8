"""From stored rows to page values: score, history, peers, action plan, OPSN table.

The score is recomputed from the answers with `referential.scoring` (the chat does the same), so the
page and /score always agree; peers come from the incremental bins in `storage.peers`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dialogs import ui
from dialogs.i18n import translator
from dialogs.plan.entries import (
    is_own,
    item_number,
    item_origin_label,
    item_priority,
    item_priority_level,
    item_theme_id,
    item_theme_title,
    item_title,
    plan_number,
    question_priority,
)
from dialogs.plan.view import status_label
from dialogs.records import (
    ActionItemInfo,
    AreaAverages,
    CollectiviteStatus,
    GroupAverage,
    ItemStatus,
    OpsnInfo,
)
from dialogs.target.reach import path_to, target_index
from referential.models import Question, Referential
from referential.scoring import open_recommendations, score
from storage import peers, supervision
from storage import summary as q
from storage.store import SqlStore
from storage.summary import HistoryPoint
from web_summary import indicators
from web_summary.schemas import (
    ActionOut,
    AreaAverageOut,
    AreaScope,
    CollectiviteSummary,
    FollowedOut,
    GradeCountOut,
    HistoryPointOut,
    IndicatorStatOut,
    LastChangeOut,
    OpsnSummary,
    PeersOut,
    PendingOut,
    PlanFilters,
    ProgressOut,
    SortKey,
    SortOrder,
    TargetOut,
    ThemeOut,
)

FR = translator("fr")  # the pages are in French
STATUS_LABELS = {status.value: status_label(FR, status) for status in ItemStatus}
BAND_LABELS = (
    "moins de 500 habitants",
    "de 500 à 1 999 habitants",
    "de 2 000 à 9 999 habitants",
    "de 10 000 à 49 999 habitants",
    "de 50 000 à 99 999 habitants",
    "100 000 habitants ou plus",
)
HISTORY_LIMIT = 40  # points on the chart and rows in its table: keeps the page small for years
NOT_STARTED = "–"


def kind_label(kind: str) -> str:
    return ui.kind_label(FR, kind)


def priority_label(priority: str) -> str:
    return ui.priority_label(FR, priority)


def compact_history(points: Iterable[HistoryPoint], tz: str) -> list[HistoryPointOut]:
    """One point per day (the day's last), only when the index moved, then one per month if the
    history is still long: a readable chart and a short table even after years of use."""
    zone = ZoneInfo(tz)
    by_day: dict[date, HistoryPoint] = {}
    for point in points:
        by_day[point.at.astimezone(zone).date()] = point
    days = sorted(by_day.items())
    moved: list[tuple[date, HistoryPoint]] = []
    for i, (day, point) in enumerate(days):
        is_last = i == len(days) - 1
        if not moved or point.index != moved[-1][1].index or is_last:
            moved.append((day, point))
    if len(moved) > HISTORY_LIMIT:
        by_month: dict[tuple[int, int], tuple[date, HistoryPoint]] = {}
        for day, point in moved:
            by_month[(day.year, day.month)] = (day, point)
        moved = sorted(by_month.values(), key=lambda item: item[0])[-HISTORY_LIMIT:]
    return [
        HistoryPointOut(date=day, index=p.index, grade=p.grade, answered=p.answered, total=p.total)
        for day, p in moved
    ]


def action_plan(
    ref: Referential, answers: dict[str, str], items: Iterable[ActionItemInfo]
) -> list[ActionOut]:
    """Every recommendation opened by a « non » or « je ne sais pas », with the status the action
    plan stored for it (« à faire » when none yet), plus stored items whose answer has since
    changed (done, dropped), plus the team's own actions. Most important first, then in
    referential order (own actions after the referential's of the same priority)."""
    stored = list(items)
    states = {item.question_id: item for item in stored if item.question_id is not None}
    position = {question.id: i for i, question in enumerate(ref.questions)}  # n° = position + 1
    wanted: dict[str, Question] = {
        question.id: question for question in open_recommendations(ref, answers)
    }
    for qid in states:
        if qid not in wanted and ref.has_question(qid):
            wanted[qid] = ref.question(qid)
    keyed: list[tuple[tuple[int, int, int], ActionOut]] = []
    for question in wanted.values():
        state = states.get(question.id)
        status = state.status if state and state.status in STATUS_LABELS else ItemStatus.A_FAIRE
        priority = question_priority(ref, question, answers)
        row = ActionOut(
            number=position[question.id] + 1,
            question_id=question.id,
            title=question.advice().title,
            theme_id=question.theme,
            theme=ref.theme(question.theme).title,
            priority=priority.value,
            status=status.value,
            due_date=state.due_date if state else None,
            assignee=(state.assignee_name or "") if state else "",
        )
        keyed.append(((-ref.weights[priority], 0, position[question.id]), row))
    for item in stored:
        if not is_own(item):
            continue
        row = ActionOut(
            number=item_number(item, ref),
            question_id=None,
            title=item_title(item, ref),
            theme_id=item_theme_id(item, ref) or "",
            theme=item_theme_title(item, ref),
            priority=item_priority_level(item, ref).value,
            status=item.status.value,
            due_date=item.due_date,
            assignee=item.assignee_name or "",
            origin=item_origin_label(item, FR) or "",
        )
        keyed.append(((-item_priority(item, ref), 1, item.id), row))
    return [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]


def target_of(
    ref: Referential, store: SqlStore, collectivite_id: int, answers: dict[str, str], index: int
) -> TargetOut | None:
    """The team's target, whether it is reached, and the open actions that would reach it."""
    target = store.roadmap.target(collectivite_id)
    if target is None:
        return None
    wanted = target_index(ref, target)
    path = path_to(ref, answers, wanted)
    return TargetOut(
        grade=target.grade,
        index=wanted,
        due_date=target.due_date,
        reached=index >= wanted,
        actions=[plan_number(ref, q.id) for q in path.actions],
    )


def peer_figures(stats: peers.PeerStats | None, population: int, counted: bool) -> PeersOut | None:
    """The comparison, only when at least five OTHER collectivités of the kind and band answered
    (the bins count this one too once it has answered): no single one can be singled out."""
    if stats is None or stats.count - (1 if counted else 0) < peers.MIN_PEERS:
        return None
    return PeersOut(
        band=BAND_LABELS[peers.band_of(population)],
        count=stats.count,
        q1=stats.q1,
        median=stats.median,
        q3=stats.q3,
        below=stats.below,
        above=stats.above,
    )


def area_figures(averages: AreaAverages) -> list[AreaAverageOut]:
    """The groups storage found big enough, in the order of /score."""
    groups: tuple[tuple[AreaScope, GroupAverage | None], ...] = (
        ("departement", averages.departement),
        ("region", averages.region),
        ("national", averages.national),
        ("opsn", averages.opsn),
    )
    return [
        AreaAverageOut(
            scope=scope,
            label=g.label,
            average=round(g.average, 1),
            index=int(g.average + 0.5),  # rounded half up, as /score shows it
            count=g.count,
        )
        for scope, g in groups
        if g is not None
    ]


def filter_plan(rows: list[ActionOut], filters: PlanFilters) -> list[ActionOut]:
    return [
        row
        for row in rows
        if (not filters.theme or row.theme_id == filters.theme)
        and (not filters.priority or row.priority == filters.priority)
        and (not filters.status or row.status == filters.status)
    ]


def collectivite_summary(
    session: Session,
    ref: Referential,
    status: CollectiviteStatus,
    filters: PlanFilters,
    tz: str,
) -> CollectiviteSummary:
    row = status.collectivite
    store = SqlStore(session)
    answers = store.answers.of(row.id)  # the same read as the chat's
    s = score(ref, answers)
    last = q.last_change(session, row.id)
    stats = peers.stats(session, row.kind, row.population, s.index)
    plan = action_plan(ref, answers, store.plan.items(row.id))
    if filters.theme and not any(t.id == filters.theme for t in ref.themes):
        filters = filters.model_copy(update={"theme": ""})  # an unknown theme filters nothing
    return CollectiviteSummary(
        siret=row.siret,
        name=row.name,
        kind=row.kind,
        kind_label=kind_label(row.kind),
        departement=row.departement,
        population=row.population,
        index=s.index,
        grade=s.grade,
        progress=ProgressOut(
            answered=s.progress.answered, total=s.progress.total, percent=s.progress.percent
        ),
        last_change=LastChangeOut(at=last.at, author=last.author) if last else None,
        themes=[
            ThemeOut(
                id=t.theme_id, title=t.title, index=t.index, answered=t.answered, total=t.total
            )
            for t in s.themes
        ],
        history=compact_history(q.history(session, row.id), tz),
        peers=peer_figures(stats, row.population, counted=status.answered > 0),
        target=target_of(ref, store, row.id, answers, s.index),
        actions=filter_plan(plan, filters),
        actions_total=len(plan),
        filters=filters,
        indicators=indicators.calculator(ref).rows(answers),
        averages=area_figures(store.answers.area_averages(row.id)),
    )


GRADE_ORDER_DEFAULT = "ABCDE"


def sort_followed(rows: list[FollowedOut], key: SortKey, order: SortOrder, grades: str) -> None:
    """Sort in place; ties keep the name order so the table is stable."""
    rows.sort(key=lambda r: r.name.casefold())
    rank = {letter: i for i, letter in enumerate(grades)}
    keys = {
        "name": lambda r: r.name.casefold(),
        "index": lambda r: r.index,
        "grade": lambda r: (r.answered == 0, rank.get(r.grade, len(rank))),
        "progress": lambda r: r.answered,
        "activity": lambda r: r.last_activity,
    }
    rows.sort(key=keys[key], reverse=order == "desc")


def opsn_summary(
    session: Session, ref: Referential, opsn: OpsnInfo, sort: SortKey, order: SortOrder
) -> OpsnSummary:
    store = SqlStore(session).opsn
    total = len(ref.level_questions(1))
    followed = [_followed(c, total) for _, c in store.followed(opsn.id)]
    indicator_stats = _indicator_columns(session, ref, opsn.id, followed)
    grades = "".join(g.letter for g in ref.grades) or GRADE_ORDER_DEFAULT
    sort_followed(followed, sort, order, grades)
    started = sorted(r.index for r in followed if r.answered)
    counts = {letter: 0 for letter in grades}
    for r in followed:
        if r.answered:
            counts[r.grade] = counts.get(r.grade, 0) + 1
    distribution = [GradeCountOut(grade=g, count=n) for g, n in counts.items()]
    distribution.append(
        GradeCountOut(grade=NOT_STARTED, count=sum(1 for r in followed if not r.answered))
    )
    return OpsnSummary(
        slug=opsn.slug,
        name=opsn.name,
        collectivites=followed,
        pending=[
            PendingOut(
                siret=c.collectivite.siret,
                name=c.collectivite.name,
                kind=c.collectivite.kind,
                departement=c.collectivite.departement,
                population=c.collectivite.population,
                requested_at=a.created_at,
            )
            for a, c in store.pending_for(opsn.id)
        ],
        distribution=distribution,
        median_index=started[(len(started) - 1) // 2] if started else None,
        sort=sort,
        order=order,
        indicator_stats=indicator_stats,
    )


def _indicator_columns(
    session: Session, ref: Referential, opsn_id: int, followed: list[FollowedOut]
) -> list[IndicatorStatOut]:
    """Fill each row's indicator values and return the quartiles, in one streamed pass over the
    answers indicators read (one collectivité's answers in memory at a time)."""
    calc = indicators.calculator(ref)
    by_id = {row.id: row for row in followed}
    nothing = [float(v.value) if v.value is not None else None for v in calc.values({})]
    for row in followed:
        row.indicators = nothing
    for cid, answers in supervision.followed_answers(session, opsn_id, calc.question_ids):
        if (found := by_id.get(cid)) is not None:
            found.indicators = [
                float(v.value) if v.value is not None else None for v in calc.values(answers)
            ]
    columns: list[list[float]] = [[] for _ in ref.indicators]
    for row in followed:
        for column, value in zip(columns, row.indicators, strict=True):
            if value is not None:
                column.append(value)
    return indicators.stats(ref, columns)


def _followed(status: CollectiviteStatus, total: int) -> FollowedOut:
    c = status.collectivite
    answered = min(status.answered, total)
    return FollowedOut(
        id=c.id,
        siret=c.siret,
        name=c.name,
        kind=c.kind,
        departement=c.departement,
        population=c.population,
        index=status.index,
        grade=status.grade,
        answered=answered,
        total=total,
        progress_percent=round(100 * answered / total) if total else 0,
        last_activity=status.last_activity_at,
    )
