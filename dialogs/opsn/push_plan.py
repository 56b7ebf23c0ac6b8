"""An accepted proposal enters the plan, marked as proposed by the OPSN.

Interim: until the plan's own actions exist (wip/custom's foundation), a catalogue proposal becomes
its question's item and a free one cannot be added yet.
"""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.records import ActionItemInfo, ItemStatus, OpsnInfo, ProposalInfo


def add_to_plan(ctx: Ctx, p: ProposalInfo, opsn: OpsnInfo) -> ActionItemInfo:
    plan = ctx.store.plan
    cid, actor, now = p.collectivite_id, ctx.user.id, ctx.now
    if p.question_id is None:
        raise NotImplementedError("own actions arrive with the plan's foundation")
    item = plan.item_for_question(cid, p.question_id)
    if item is None:
        item = plan.create_item(cid, p.question_id, actor_id=actor, now=now)
    changes: dict[str, object] = {}
    if item.status is ItemStatus.NON_RETENU:
        changes.update(status=ItemStatus.A_FAIRE, reason="")
    if p.due_date is not None and item.due_date is None:
        changes["due_date"] = p.due_date
    return plan.update_item(item.id, changes, actor_id=actor, now=now) if changes else item
