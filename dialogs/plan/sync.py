"""The plan's items, completed from the answers.

Answers keep the plan in step as they are recorded (dialogs.answers.record_answer); answers given
before the plan existed, or under an older referential, get their items when the plan is shown —
level-1 and level-2 recommendations alike (level-2 answers exist only once the collectivité was
accompanied by an OPSN, so the locked area is included).
"""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.records import ActionItemInfo
from referential.models import Priority, Question, Referential
from referential.scoring import open_recommendations, recommendation_priority

LEVELS = (1, 2)


def plan_questions(ref: Referential) -> tuple[Question, ...]:
    """The questions whose items the plan lists, in order: level 1, then level 2."""
    return tuple(q for level in LEVELS for q in ref.level_questions(level, include_locked=True))


def ensure_items(ctx: Ctx, collectivite_id: int) -> list[ActionItemInfo]:
    """All items of the collectivité, creating any missing one for an open recommendation."""
    plan = ctx.store.plan
    items = plan.items(collectivite_id)
    known = {item.question_id for item in items}
    answers = ctx.store.answers.of(collectivite_id)
    for level in LEVELS:
        for q in open_recommendations(ctx.ref, answers, level, include_locked=True):
            if q.id not in known:
                items.append(plan.create_item(collectivite_id, q.id, actor_id=None, now=ctx.now))
                known.add(q.id)
    return items


def item_priority(ctx: Ctx, q: Question, answers: dict[str, str]) -> Priority:
    """The priority an item is shown with: the one its answer opened it with (a level-2
    `recommend_if` rule may set its own), else the question's."""
    return recommendation_priority(ctx.ref, q, answers.get(q.id)) or q.priority
