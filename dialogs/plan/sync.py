"""The plan's items, completed from the answers.

Answers keep the plan in step as they are recorded (dialogs.answers.record_answer); answers given
before the plan existed, or under an older referential, get their items when the plan is shown.
"""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.records import ActionItemInfo
from referential.scoring import open_recommendations


def ensure_items(ctx: Ctx, collectivite_id: int) -> list[ActionItemInfo]:
    """All items of the collectivité, creating any missing one for an open recommendation."""
    plan = ctx.store.plan
    items = plan.items(collectivite_id)
    known = {item.question_id for item in items}
    answers = ctx.store.answers.of(collectivite_id)
    for q in open_recommendations(ctx.ref, answers):
        if q.id not in known:
            items.append(plan.create_item(collectivite_id, q.id, actor_id=None, now=ctx.now))
    return items
