"""Keep the action plan in step with the answers.

A « non », « je ne sais pas » or partial choice opens (or reopens) the question's item; a full-credit
answer closes it as réalisé. An item the team set aside (« non retenu ») stays aside on a new « non ».
"""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.plan.ports import A_FAIRE, REALISE, ActionItemInfo
from referential.models import Question
from referential.scoring import credit, open_recommendations


async def answer_changed(ctx: Ctx, q: Question, value: str) -> None:
    """Called by the questionnaire after an answer was stored (same transaction)."""
    member = await ctx.member()
    if member is None:
        return
    plan = ctx.store.plan
    item = await plan.item_for_question(member.collectivite.id, q.id)
    done = credit(ctx.ref, q, value) >= 1
    if done:
        if item is not None and item.status != REALISE:
            await plan.update_item(item.id, {"status": REALISE}, actor_id=ctx.user.id, now=ctx.now)
            if ctx.out.toast is None:
                ctx.toast(ctx._("Action du plan marquée réalisée."))
        return
    if item is None:
        await plan.create_item(member.collectivite.id, q.id, actor_id=ctx.user.id, now=ctx.now)
    elif item.status == REALISE:
        await plan.update_item(item.id, {"status": A_FAIRE}, actor_id=ctx.user.id, now=ctx.now)
        if ctx.out.toast is None:
            ctx.toast(ctx._("Action du plan rouverte."))


async def ensure_items(ctx: Ctx, collectivite_id: int) -> list[ActionItemInfo]:
    """All items of the collectivité, creating any missing one for an open recommendation
    (answers given before the plan existed, or under an older referential)."""
    plan = ctx.store.plan
    items = await plan.items(collectivite_id)
    known = {item.question_id for item in items}
    answers = await ctx.store.answers(collectivite_id)
    for q in open_recommendations(ctx.ref, answers):
        if q.id not in known:
            items.append(await plan.create_item(collectivite_id, q.id, actor_id=None, now=ctx.now))
    return items
