"""One action item: its card, status changes (« non retenu » asks why), resources, history."""

from __future__ import annotations

from datetime import date

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.cards import load_item, show_item
from dialogs.plan.close import offer_answer_update
from dialogs.plan.ports import NON_RETENU, REALISE, ActionItemInfo
from dialogs.plan.view import STATUS_CODES, resources_text, status_label
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.state import Flow, set_flow

router = Router()

FLOW_REASON = "plan_reason"
MAX_REASON = 200


async def open_item(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is not None:
        show_item(ctx, item, edit=True)


async def set_status(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    _ = ctx._
    status = STATUS_CODES.get(args[1] if len(args) > 1 else "")
    if status is None:
        ctx.toast(_("Ce bouton n’est plus valable."))
        show_item(ctx, item, edit=True)
        return
    if status == item.status:
        ctx.toast(_("Statut déjà « {status} ».").format(status=status_label(ctx.tr, status)))
        show_item(ctx, item, edit=True)
        return
    if status == NON_RETENU:
        set_flow(ctx.state, FLOW_REASON, plan_item=item.id, plan=ctx.state.get("plan"))
        ctx.say(
            _(
                "Pourquoi cette action n’est-elle pas retenue pour l’instant ? "
                "Répondez en quelques mots ({max} caractères au plus), ou /annuler."
            ).format(max=MAX_REASON)
        )
        return
    await change_status(ctx, item, status, edit=True)


async def change_status(ctx: Ctx, item: ActionItemInfo, status: str, *, edit: bool) -> None:
    """Store the new status, show the item, and on « réalisé » offer to update the answer."""
    changes: dict[str, object] = {"status": status}
    if item.status == NON_RETENU:
        changes["reason"] = ""
    item = await ctx.store.plan.update_item(item.id, changes, actor_id=ctx.user.id, now=ctx.now)
    ctx.toast(ctx._("Statut : {status}").format(status=status_label(ctx.tr, status)))
    show_item(ctx, item, edit=edit)
    if status == REALISE:
        await offer_answer_update(ctx, item)


@router.flow(FLOW_REASON)
async def typed_reason(ctx: Ctx, event: Event) -> None:
    item = await load_item(ctx, str(ctx.state.get("plan_item", "")))
    if item is None:
        set_flow(ctx.state, Flow.IDLE.value)
        return
    reason = " ".join(event.text.split())
    if len(reason) > MAX_REASON:
        ctx.say(
            ctx._("Merci de faire plus court : {max} caractères au plus (ici {n}).").format(
                max=MAX_REASON, n=len(reason)
            )
        )
        return
    set_flow(ctx.state, Flow.IDLE.value, plan=ctx.state.get("plan"))
    item = await ctx.store.plan.update_item(
        item.id, {"status": NON_RETENU, "reason": reason}, actor_id=ctx.user.id, now=ctx.now
    )
    ctx.toast(ctx._("Statut : {status}").format(status=status_label(ctx.tr, NON_RETENU)))
    show_item(ctx, item, edit=False)


async def unmute(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    item = await ctx.store.plan.update_item(
        item.id, {"reminders_muted": False}, actor_id=ctx.user.id, now=ctx.now
    )
    ctx.toast(ctx._("Rappels réactivés."))
    show_item(ctx, item, edit=True)


async def resources(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    q = ctx.ref.question(item.question_id)
    rows = [(Button(r.title[:60], url=r.url),) for r in q.recommendation.resources]
    rows.append((Button(ctx._("← Retour"), f"p:i:{item.id}"),))
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
    return value


async def history(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    _ = ctx._
    names = {
        str(m.user_id): m.display_name for m in await ctx.store.plan.teammates(item.collectivite_id)
    }
    field_names = {
        "status": _("statut"),
        "assignee_id": _("personne en charge"),
        "due_date": _("échéance"),
        "snoozed_until": _("rappels reportés au"),
        "reminders_muted": _("rappels"),
        "reason": _("raison"),
    }
    lines = [
        _("Historique de « {title} » (le plus récent d’abord) :").format(
            title=ctx.ref.question(item.question_id).recommendation.title
        )
    ]
    for event in await ctx.store.plan.events(item.id):
        who = event.actor_name or _("Éco-clic")
        when = ctx.tr.datetime(event.at, "d MMM yyyy HH:mm", ctx.config.timezone)
        lines.append(
            f"• {when}, {who} : {field_names.get(event.field, event.field)} "
            f"{_event_value(ctx, event.field, event.old_value, names)} → "
            f"{_event_value(ctx, event.field, event.new_value, names)}"
        )
    ctx.say("\n".join(lines), ((Button(_("← Retour"), f"p:i:{item.id}"),),), edit=True)
