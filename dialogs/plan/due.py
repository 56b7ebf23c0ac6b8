"""By when: quick picks (fin du mois, dans 3 mois, 6 mois, 1 an) or a typed date, read the French
way by dialogs.parsing.parse_date (« 15/3/27 », « 15 mars 2027 », « 2027-03-15 », « fin juin »)."""

from __future__ import annotations

from datetime import date

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.parsing import day_off, parse_date
from dialogs.plan.buttons import DueCode, DuePicker, ItemButton, SetDue
from dialogs.plan.cards import flow_item_id, load_item, local_today, show_item
from dialogs.plan.schedule import add_months, end_of_month
from dialogs.records import ActionItemInfo
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.ui import button

router = Router()


def due_choices(day: date) -> dict[DueCode, date]:
    """The quick picks, in the order they are offered."""
    return {
        DueCode.END_OF_MONTH: end_of_month(day),
        DueCode.THREE_MONTHS: add_months(day, 3),
        DueCode.SIX_MONTHS: add_months(day, 6),
        DueCode.ONE_YEAR: add_months(day, 12),
    }


@router.button(DuePicker)
def pick_due(ctx: Ctx, event: Event, data: DuePicker) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    names = {
        DueCode.END_OF_MONTH: _("Fin du mois"),
        DueCode.THREE_MONTHS: _("Dans 3 mois"),
        DueCode.SIX_MONTHS: _("Dans 6 mois"),
        DueCode.ONE_YEAR: _("Dans 1 an"),
    }
    rows: list[tuple[Button, ...]] = [
        (button(f"{names[code]} ({ctx.tr.date(d, 'd MMM yyyy')})", SetDue(item.id, code)),)
        for code, d in due_choices(local_today(ctx)).items()
    ]
    rows.append((button(_("Saisir une date"), SetDue(item.id, DueCode.TYPED)),))
    if item.due_date is not None:
        rows.append((button(_("Retirer l’échéance"), SetDue(item.id, DueCode.REMOVE)),))
    rows.append((button(_("← Retour"), ItemButton(item.id)),))
    ctx.say(_("Pour quand ?"), tuple(rows), edit=True)


@router.button(SetDue)
def set_due_pick(ctx: Ctx, event: Event, data: SetDue) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    if data.code is DueCode.TYPED:
        set_flow(ctx.state, Flow.PLAN_DUE, plan_item=item.id, plan=ctx.state.get("plan"))
        ctx.say(
            ctx._(
                "Tapez la date d’échéance au format JJ/MM/AAAA (par exemple 31/03/2027), ou /annuler."
            )
        )
        return
    if data.code is DueCode.REMOVE:
        apply_due(ctx, item, None, edit=True)
        return
    apply_due(ctx, item, due_choices(local_today(ctx))[data.code], edit=True)


def apply_due(ctx: Ctx, item: ActionItemInfo, due: date | None, *, edit: bool) -> None:
    item = ctx.store.plan.update_item(
        item.id, {"due_date": due, "snoozed_until": None}, actor_id=ctx.user.id, now=ctx.now
    )
    ctx.toast(
        ctx._("Échéance : {date}").format(date=ctx.tr.date(due)) + _day_off_note(ctx, due)
        if due
        else ctx._("Échéance retirée.")
    )
    show_item(ctx, item, edit=edit)


def _day_off_note(ctx: Ctx, due: date) -> str:
    """A gentle word when the due date falls on a weekend or a French public holiday."""
    off = day_off(due)
    if off is None:
        return ""
    if off == "weekend":
        return " " + ctx._("(un week-end : c’est noté quand même)")
    return " " + ctx._("(jour férié : {name} ; c’est noté quand même)").format(name=off)


def parse_date_fr(text: str, day: date) -> tuple[date | None, str]:
    """(date, "") or (None, error code): "format", "impossible", "past", "far" (five years)."""
    return parse_date(text, day)


@router.flow(Flow.PLAN_DUE)
def typed_due(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    item = load_item(ctx, flow_item_id(ctx.state))
    if item is None:
        set_flow(ctx.state, Flow.IDLE)
        return
    value, error = parse_date_fr(event.text, local_today(ctx))
    if value is None:
        ctx.say(
            {
                "format": _(
                    "Je n’ai pas reconnu de date. Tapez par exemple 31/03/2027, 31 mars 2027 ou fin mars, ou /annuler."
                ),
                "impossible": _(
                    "La date {text} n’existe pas. Tapez une date au format JJ/MM/AAAA, par exemple 31/03/2027."
                ).format(text=event.text.strip()[:20]),
                "past": _(
                    "Cette date est déjà passée : choisissez aujourd’hui ou une date à venir."
                ),
                "far": _(
                    "Cette date est trop lointaine : choisissez une échéance dans les cinq ans."
                ),
            }[error]
        )
        return
    set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"))
    apply_due(ctx, item, value, edit=False)
