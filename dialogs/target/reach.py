"""What a target asks: its index, and the shortest list of open actions that reaches it.

Pure arithmetic over the referential's scoring: marking an action réalisé is modelled as its
question answered with full credit, the same answer the plan proposes when an action is closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dialogs.records import TargetInfo
from referential.kinds import AnswerType
from referential.models import Question, Referential
from referential.scoring import maturity_index, open_recommendations


def full_credit_value(q: Question) -> str:
    """The answer an action makes true once done (« oui », or the full-credit option)."""
    if q.answer_type is AnswerType.CHOICE:
        return next(o.id for o in q.options if o.credit >= 1)
    return "oui"


def grade_floor(ref: Referential, letter: str) -> int | None:
    """The lowest index that earns `letter`, or None for a letter the scale does not have."""
    return next((g.min for g in ref.grades if g.letter == letter), None)


def target_index(ref: Referential, target: TargetInfo) -> int:
    if target.index is not None:
        return target.index
    floor = grade_floor(ref, target.grade or "")
    return 100 if floor is None else floor


@dataclass(frozen=True)
class Path:
    """The actions to do, in order, and whether doing them all reaches the target."""

    actions: tuple[Question, ...]
    reached: bool
    index_after: int


def path_to(ref: Referential, answers: Mapping[str, str], wanted: int) -> Path:
    """The fewest open actions whose completion lifts the index to `wanted`.

    Each action's gain is measured alone on the current answers; the biggest gains go first (ties:
    the plan's order, heaviest priority first). Done one by one, the index is re-scored, so the list
    stops exactly at the first action that reaches the target.
    """
    current = dict(answers)
    index = maturity_index(ref, current)
    if index >= wanted:
        return Path((), True, index)
    candidates = open_recommendations(ref, current)
    gains = []
    for position, q in enumerate(candidates):
        gains.append((maturity_index(ref, {**current, q.id: full_credit_value(q)}), position, q))
    gains.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[Question] = []
    for _, _, q in gains:
        current[q.id] = full_credit_value(q)
        chosen.append(q)
        index = maturity_index(ref, current)
        if index >= wanted:
            return Path(tuple(chosen), True, index)
    return Path(tuple(chosen), False, index)
