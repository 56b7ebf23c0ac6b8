"""Everything a plan or roadmap document shows, gathered once through the store ports.

The chat (/documents), the web page and `ecoclic export` all call `gather` with a store (the
engine's, or a `storage` store over a read session), then hand the record to a renderer of
`dialogs.documents` (csv, ods, pdf): one record, three formats, the same content everywhere.
Documents are in French: they are made for a conseil municipal and the public record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dialogs import ui
from dialogs.i18n import translator
from dialogs.plan.entries import (
    is_own,
    item_number,
    item_origin_label,
    item_priority,
    item_priority_level,
    item_theme_title,
    item_title,
    question_priority,
)
from dialogs.plan.view import status_label
from dialogs.ports import Store
from dialogs.records import OPEN_ITEM_STATUSES, CollectiviteInfo, ItemStatus, ScorePoint
from dialogs.target.reach import path_to, target_index
from referential.indicators import compute_all
from referential.models import Referential
from referential.scoring import open_recommendations, score

FR = translator("fr")


@dataclass(frozen=True)
class PlanRow:
    number: int | str  # the question's place, or « E12 » for an own action (entries.item_number)
    title: str
    theme: str
    priority: str
    status: str  # the French label
    is_open: bool
    due_date: date | None
    pilot: str  # a name, or "" when nobody is in charge
    pilot_function: str  # the pilot's function in the team (« Secrétaire de mairie »…)
    indicator: str  # how the team will know it is done (an own action: its description)
    origin: str = ""  # « Action de l’équipe », « Proposée par … »; "" for the referential's


@dataclass(frozen=True)
class ThemeRow:
    title: str
    index: int
    answered: int
    total: int


@dataclass(frozen=True)
class TargetRow:
    label: str  # « lettre B » or « indice 70 »
    index: int  # the index the target asks for
    due_date: date
    reached: bool
    actions: tuple[int, ...]  # stable numbers of the open actions that reach it


@dataclass(frozen=True)
class RoadmapData:
    siret: str
    name: str
    kind: str
    departement: str
    population: int
    index: int
    grade: str
    answered: int
    total: int
    themes: tuple[ThemeRow, ...]
    history: tuple[ScorePoint, ...]
    target: TargetRow | None
    rows: tuple[PlanRow, ...]
    indicators: tuple[tuple[str, str], ...]  # level 2: (title, value or « non calculable »)
    referential_version: str
    referential_date: date
    generated: date

    @property
    def open_rows(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if row.is_open)


def gather(ref: Referential, store: Store, c: CollectiviteInfo, today: date) -> RoadmapData:
    """Read-only: open recommendations without a stored item yet count as « à faire »."""
    answers = store.answers.of(c.id)
    s = score(ref, answers)
    functions = {m.user_id: m.function_label for m in store.people.members(c.id)}
    stored = store.plan.items(c.id)
    items = {item.question_id: item for item in stored if item.question_id is not None}
    wanted = [q.id for q in open_recommendations(ref, answers)]
    wanted += [qid for qid in items if qid not in wanted and ref.has_question(qid)]
    number = {q.id: position for position, q in enumerate(ref.questions, start=1)}
    keyed: list[tuple[tuple[int, int, int], PlanRow]] = []
    for qid in wanted:
        q, item = ref.question(qid), items.get(qid)
        status = item.status if item else ItemStatus.A_FAIRE
        pilot = item.assignee_id if item else None
        priority = question_priority(ref, q, answers)
        row = PlanRow(
            number=number[qid],
            title=q.advice().title,
            theme=ref.theme(q.theme).title,
            priority=ui.priority_label(FR, priority.value),
            status=status_label(FR, status),
            is_open=status in OPEN_ITEM_STATUSES,
            due_date=item.due_date if item else None,
            pilot=(item.assignee_name or "") if item else "",
            pilot_function=functions.get(pilot, "") if pilot is not None else "",
            indicator=q.text,
        )
        keyed.append(((-ref.weights[priority], 0, number[qid]), row))
    for item in stored:
        if not is_own(item):
            continue
        row = PlanRow(
            number=item_number(item, ref),
            title=item_title(item, ref),
            theme=item_theme_title(item, ref),
            priority=ui.priority_label(FR, item_priority_level(item, ref).value),
            status=status_label(FR, item.status),
            is_open=item.is_open,
            due_date=item.due_date,
            pilot=item.assignee_name or "",
            pilot_function=functions.get(item.assignee_id, "") if item.assignee_id else "",
            indicator=item.details or "",
            origin=item_origin_label(item, FR) or "",
        )
        keyed.append(((-item_priority(item, ref), 1, item.id), row))
    rows = [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]
    target = store.roadmap.target(c.id)
    target_row = None
    if target is not None:
        needed = target_index(ref, target)
        path = path_to(ref, answers, needed)
        target_row = TargetRow(
            label=f"lettre {target.grade}" if target.grade else f"indice {target.index}",
            index=needed,
            due_date=target.due_date,
            reached=s.index >= needed,
            actions=tuple(number[q.id] for q in path.actions),
        )
    indicators: tuple[tuple[str, str], ...] = ()
    if c.level2_enabled:
        indicators = tuple(
            (
                v.indicator.title,
                f"{v.rounded()} {v.indicator.unit}" if v.computable else "non calculable",
            )
            for v in compute_all(ref, answers)
        )
    return RoadmapData(
        siret=c.siret,
        name=c.name,
        kind=ui.kind_label(FR, c.kind),
        departement=c.departement,
        population=c.population,
        index=s.index,
        grade=s.grade,
        answered=s.progress.answered,
        total=s.progress.total,
        themes=tuple(ThemeRow(t.title, t.index, t.answered, t.total) for t in s.themes),
        history=tuple(store.roadmap.history(c.id)),
        target=target_row,
        rows=tuple(rows),
        indicators=indicators,
        referential_version=ref.version,
        referential_date=ref.date,
        generated=today,
    )
