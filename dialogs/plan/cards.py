"""What every action-item screen shares: finding the item safely, its card, the way back.

Every handler re-reads the item and checks it belongs to the speaker's collectivité: a stale id, or
one of another collectivité, gets a clear refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.access import require_member
from dialogs.context import Ctx
from dialogs.plan.buttons import (
    AssignPicker,
    DuePicker,
    History,
    OwnDelete,
    OwnEdit,
    PlanPage,
    Resources,
    SetStatus,
    StatusCode,
    Unmute,
)
from dialogs.plan.entries import item_question
from dialogs.plan.schedule import today
from dialogs.plan.view import item_text, status_label
from dialogs.records import ActionItemInfo, ItemStatus
from dialogs.replies import Button, Keyboard
from dialogs.ui import button

FILTERS_MAX = 40  # PlanPage.filters


def local_today(ctx: Ctx) -> date:
    return today(ctx.now, ctx.config.timezone)


def load_item(ctx: Ctx, item_id: int | None) -> ActionItemInfo | None:
    """The item if it exists and belongs to the speaker's collectivité; else a refusal is said."""
    member = require_member(ctx)
    if member is None:
        return None
    item = ctx.store.plan.item(item_id) if item_id is not None else None
    if (
        item is None
        or item.collectivite_id != member.collectivite.id
        or (item.question_id is not None and not ctx.ref.has_question(item.question_id))
    ):
        _ = ctx._
        ctx.toast(_("Action introuvable."))
        ctx.say(
            _("Cette action n’existe pas ou ne concerne pas votre collectivité."),
            ((button(_("Voir le plan d’actions"), PlanPage()),),),
        )
        return None
    return item


def flow_item_id(state: dict[str, Any]) -> int | None:
    """The item a typed flow (due date, reason) is about, as saved when the flow began."""
    value = state.get("plan_item")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def saved_page(state: dict[str, Any]) -> PlanPage:
    """Where the list was last left (page and filters), kept in the conversation state."""
    saved = state.get("plan")
    if not isinstance(saved, dict):
        return PlanPage()
    page = saved.get("pg", 0)
    code = str(saved.get("f", ""))[:FILTERS_MAX]
    return PlanPage(page if isinstance(page, int) and page >= 0 else 0, code)


def back_to_list(ctx: Ctx) -> Button:
    target = saved_page(ctx.state)
    try:
        return button(ctx._("← Retour au plan"), target)
    except ValueError:  # a state saved by an older version with odd filters: start afresh
        return button(ctx._("← Retour au plan"), PlanPage())


def item_rows(ctx: Ctx, item: ActionItemInfo) -> Keyboard:
    _ = ctx._
    i = item.id

    def status_button(status: ItemStatus) -> Button:
        return button(status_label(ctx.tr, status), SetStatus(i, StatusCode.of(status)))

    first = tuple(
        status_button(s)
        for s in (ItemStatus.A_FAIRE, ItemStatus.PLANIFIE, ItemStatus.EN_COURS)
        if s != item.status
    )
    second = tuple(
        status_button(s) for s in (ItemStatus.REALISE, ItemStatus.NON_RETENU) if s != item.status
    )
    rows = [
        first,
        second,
        (button(_("Attribuer"), AssignPicker(i)), button(_("Échéance"), DuePicker(i))),
        (button(_("Ressources"), Resources(i)), button(_("Historique"), History(i)))
        if item.question_id is not None
        else (button(_("Historique"), History(i)),),
    ]
    if item.reminders_muted and item.is_open:
        rows.append((button(_("Réactiver les rappels"), Unmute(i)),))
    member = ctx.member()
    if item.question_id is None and member is not None and member.is_admin:
        rows.append((button(_("Modifier"), OwnEdit(i)), button(_("Supprimer"), OwnDelete(i))))
    return (*rows, (back_to_list(ctx),))


def show_item(ctx: Ctx, item: ActionItemInfo, *, edit: bool) -> None:
    q = item_question(item, ctx.ref)
    # Only a level-2 rule can give an item another priority than its question's: read the answers
    # just for those.
    answers = (
        ctx.store.answers.of(item.collectivite_id) if q is not None and q.recommend_if else None
    )
    text = item_text(ctx.tr, ctx.ref, item, local_today(ctx), answers)
    ctx.say(text, item_rows(ctx, item), edit=edit)
