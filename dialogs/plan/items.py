"""One action item: its card, status changes (« non retenu » asks why), resources, history."""

from __future__ import annotations

from datetime import date

from dialogs import ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.buttons import History, ItemButton, Resources, SetStatus, Unmute
from dialogs.plan.cards import flow_item_id, load_item, show_item
from dialogs.plan.close import offer_answer_update
from dialogs.plan.entries import item_question, item_title, theme_ids, weight_priority
from dialogs.plan.listing import short
from dialogs.plan.view import resources_text, status_label
from dialogs.records import ActionItemInfo, ItemStatus
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.ui import button

router = Router()

MAX_REASON = 200


@router.button(ItemButton)
def open_item(ctx: Ctx, event: Event, data: ItemButton) -> None:
    item = load_item(ctx, data.item_id)
    if item is not None:
        show_item(ctx, item, edit=True)


@router.button(SetStatus)
def set_status(ctx: Ctx, event: Event, data: SetStatus) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    status = data.code.status
    if status == item.status:
        ctx.toast(_("Statut déjà « {status} ».").format(status=status_label(ctx.tr, status)))
        show_item(ctx, item, edit=True)
        return
    if status is ItemStatus.NON_RETENU:
        set_flow(ctx.state, Flow.PLAN_REASON, plan_item=item.id, plan=ctx.state.get("plan"))
        ctx.say(
            _(
                "Pourquoi cette action n’est-elle pas retenue pour l’instant ? "
                "Répondez en quelques mots ({max} caractères au plus), ou /annuler."
            ).format(max=MAX_REASON)
        )
        return
    change_status(ctx, item, status, edit=True)


def change_status(ctx: Ctx, item: ActionItemInfo, status: ItemStatus, *, edit: bool) -> None:
    """Store the new status, show the item, and on « réalisé » offer to update the answer."""
    changes: dict[str, object] = {"status": status}
    if item.status is ItemStatus.NON_RETENU:
        changes["reason"] = ""
    item = ctx.store.plan.update_item(item.id, changes, actor_id=ctx.user.id, now=ctx.now)
    ctx.toast(ctx._("Statut : {status}").format(status=status_label(ctx.tr, status)))
    show_item(ctx, item, edit=edit)
    if status is ItemStatus.REALISE:
        offer_answer_update(ctx, item)


@router.flow(Flow.PLAN_REASON)
def typed_reason(ctx: Ctx, event: Event) -> None:
    item = load_item(ctx, flow_item_id(ctx.state))
    if item is None:
        set_flow(ctx.state, Flow.IDLE)
        return
    reason = " ".join(event.text.split())
    if len(reason) > MAX_REASON:
        ctx.say(
            ctx._("Merci de faire plus court : {max} caractères au plus (ici {n}).").format(
                max=MAX_REASON, n=len(reason)
            )
        )
        return
    set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"))
    item = ctx.store.plan.update_item(
        item.id,
        {"status": ItemStatus.NON_RETENU, "reason": reason},
        actor_id=ctx.user.id,
        now=ctx.now,
    )
    ctx.toast(ctx._("Statut : {status}").format(status=status_label(ctx.tr, ItemStatus.NON_RETENU)))
    show_item(ctx, item, edit=False)


@router.button(Unmute)
def unmute(ctx: Ctx, event: Event, data: Unmute) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    item = ctx.store.plan.update_item(
        item.id, {"reminders_muted": False}, actor_id=ctx.user.id, now=ctx.now
    )
    ctx.toast(ctx._("Rappels réactivés."))
    show_item(ctx, item, edit=True)


@router.button(Resources)
def resources(ctx: Ctx, event: Event, data: Resources) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    q = item_question(item, ctx.ref)
    if q is None or q.recommendation is None:  # an own action has no referential resources
        show_item(ctx, item, edit=True)
        return
    # The full titles are in the text above; a button alone stays within 28 characters.
    rows = [(Button(short(r.title), url=r.url),) for r in q.advice().resources]
    rows.append((button(ctx._("← Retour"), ItemButton(item.id)),))
    ctx.say(resources_text(ctx.tr, q), tuple(rows), edit=True)


def _event_value(ctx: Ctx, field: str, value: str | None, names: dict[str, str]) -> str:
    _ = ctx._
    if value is None or value == "":
        return "—"
    if field == "status":
        return status_label(ctx.tr, value)
    if field == "assignee_id":
        return names.get(value, _("une personne qui a quitté l’équipe"))
    if field in ("due_date", "snoozed_until"):
        try:
            return ctx.tr.date(date.fromisoformat(value), "d MMM yyyy")
        except ValueError:
            return value
    if field == "reminders_muted":
        return _("coupés") if value == "true" else _("actifs")
    if field == "theme_id" and value in theme_ids(ctx.ref):
        return ctx.ref.theme(value).title
    if field == "priority" and value.isdecimal():
        return ui.priority_label(ctx.tr, weight_priority(ctx.ref, int(value)).value)
    return value


@router.button(History)
def history(ctx: Ctx, event: Event, data: History) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    names = {str(m.user_id): m.display_name for m in ctx.store.people.members(item.collectivite_id)}
    field_names = {
        "status": _("statut"),
        "assignee_id": _("personne en charge"),
        "due_date": _("échéance"),
        "snoozed_until": _("rappels reportés au"),
        "reminders_muted": _("rappels"),
        "reason": _("raison"),
        "title": _("titre"),
        "details": _("description"),
        "theme_id": _("thème"),
        "priority": _("priorité"),
    }
    lines = [
        _("Historique de « {title} » (le plus récent d’abord) :").format(
            title=item_title(item, ctx.ref)
        )
    ]
    for event_info in ctx.store.plan.events(item.id):
        # No actor: the assistant itself; an actor without a name: a person since erased.
        who = event_info.actor_name or (
            _("un ancien membre") if event_info.actor_id is not None else _("Éco-clic")
        )
        when = ctx.tr.datetime(event_info.at, "d MMM yyyy HH:mm", ctx.config.timezone)
        lines.append(
            f"• {when}, {who} : {field_names.get(event_info.field, event_info.field)} "
            f"{_event_value(ctx, event_info.field, event_info.old_value, names)} → "
            f"{_event_value(ctx, event_info.field, event_info.new_value, names)}"
        )
    ctx.say("\n".join(lines), ((button(_("← Retour"), ItemButton(item.id)),),), edit=True)
