"""The plan's items, completed from the answers.

Answers keep the plan in step as they are recorded (dialogs.answers.record_answer); answers given
before the plan existed, or under an older referential, get their items when the plan is shown —
level-1 and level-2 recommendations alike (level-2 answers exist only once the collectivité was
accompanied by an OPSN, so the locked area is included).
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.context import Ctx
from dialogs.records import ActionItemInfo
from referential.models import Question, Referential
from referential.scoring import open_recommendations

LEVELS = (1, 2)


def plan_questions(ref: Referential) -> tuple[Question, ...]:
    """The questions whose items the plan lists, in order: level 1, then level 2."""
    return tuple(q for level in LEVELS for q in ref.level_questions(level, include_locked=True))


def ensure_items(
    ctx: Ctx, collectivite_id: int, answers: Mapping[str, str] | None = None
) -> list[ActionItemInfo]:
    """All items of the collectivité, creating any missing one for an open recommendation
    (`answers`, the collectivité's, when the caller has already read them)."""
    plan = ctx.store.plan
    items = plan.items(collectivite_id)
    known = {item.question_id for item in items if item.question_id is not None}
    if answers is None:
        answers = ctx.store.answers.of(collectivite_id)
    for level in LEVELS:
        for q in open_recommendations(ctx.ref, answers, level, include_locked=True):
            if q.id not in known:
                items.append(plan.create_item(collectivite_id, q.id, actor_id=None, now=ctx.now))
                known.add(q.id)
    return items
