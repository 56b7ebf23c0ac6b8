"""An accepted proposal enters the plan, marked as proposed by the OPSN (`opsn_id`).

A free proposal becomes an own action of origin OPSN (title, why and how as its description,
priority, due date). A catalogue one becomes its question's item: the existing item is marked
(an item set aside « non retenu » is put back « à faire »), or the item is created.
"""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.opsn.push_texts import details
from dialogs.records import ActionItemInfo, ItemOrigin, ItemStatus, OpsnInfo, ProposalInfo


def add_to_plan(ctx: Ctx, p: ProposalInfo, opsn: OpsnInfo) -> ActionItemInfo:
    plan = ctx.store.plan
    cid, actor, now = p.collectivite_id, ctx.user.id, ctx.now
    if p.question_id is None:
        return plan.create_own_item(
            cid,
            origin=ItemOrigin.OPSN,
            title=p.title,
            details=details(ctx.ref, p) or None,
            theme_id=None,
            priority=p.priority,
            due_date=p.due_date,
            assignee_id=None,
            opsn_id=opsn.id,
            actor_id=actor,
            now=now,
        )
    item = plan.item_for_question(cid, p.question_id)
    if item is None:
        item = plan.create_item(cid, p.question_id, actor_id=actor, now=now, opsn_id=opsn.id)
    changes: dict[str, object] = {"opsn_id": opsn.id}
    if item.status is ItemStatus.NON_RETENU:
        changes.update(status=ItemStatus.A_FAIRE, reason="")
    if p.due_date is not None and item.due_date is None:
        changes["due_date"] = p.due_date
    return plan.update_item(item.id, changes, actor_id=actor, now=now)
