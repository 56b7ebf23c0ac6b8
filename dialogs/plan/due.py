"""By when: quick picks (fin du mois, dans 3 mois, 6 mois, 1 an) or a typed JJ/MM/AAAA date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.cards import load_item, local_today, show_item
from dialogs.plan.ports import ActionItemInfo
from dialogs.plan.schedule import add_months, end_of_month
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.state import Flow, set_flow

router = Router()

FLOW_DUE = "plan_due"
MAX_YEARS_AHEAD = 5
DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


def due_choices(day: date) -> list[tuple[str, date]]:
    return [
        ("m", end_of_month(day)),
        ("3", add_months(day, 3)),
        ("6", add_months(day, 6)),
        ("12", add_months(day, 12)),
    ]


async def pick_due(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    _ = ctx._
    names = {
        "m": _("Fin du mois"),
        "3": _("Dans 3 mois"),
        "6": _("Dans 6 mois"),
        "12": _("Dans 1 an"),
    }
    rows: list[tuple[Button, ...]] = [
        (Button(f"{names[code]} ({ctx.tr.date(d, 'd MMM yyyy')})", f"p:dd:{item.id}:{code}"),)
        for code, d in due_choices(local_today(ctx))
    ]
    rows.append((Button(_("Saisir une date"), f"p:dd:{item.id}:t"),))
    if item.due_date is not None:
        rows.append((Button(_("Retirer l’échéance"), f"p:dd:{item.id}:x"),))
    rows.append((Button(_("← Retour"), f"p:i:{item.id}"),))
    ctx.say(_("Pour quand ?"), tuple(rows), edit=True)


async def set_due_pick(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    code = args[1] if len(args) > 1 else ""
    if code == "t":
        set_flow(ctx.state, FLOW_DUE, plan_item=item.id, plan=ctx.state.get("plan"))
        ctx.say(
            ctx._(
                "Tapez la date d’échéance au format JJ/MM/AAAA (par exemple 31/03/2027), ou /annuler."
            )
        )
        return
    if code == "x":
        await apply_due(ctx, item, None, edit=True)
        return
    choices = dict(due_choices(local_today(ctx)))
    if code not in choices:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        show_item(ctx, item, edit=True)
        return
    await apply_due(ctx, item, choices[code], edit=True)


async def apply_due(ctx: Ctx, item: ActionItemInfo, due: date | None, *, edit: bool) -> None:
    item = await ctx.store.plan.update_item(
        item.id, {"due_date": due, "snoozed_until": None}, actor_id=ctx.user.id, now=ctx.now
    )
    ctx.toast(
        ctx._("Échéance : {date}").format(date=ctx.tr.date(due))
        if due
        else ctx._("Échéance retirée.")
    )
    show_item(ctx, item, edit=edit)


def parse_date_fr(text: str, day: date) -> tuple[date | None, str]:
    """(date, "") or (None, error code): "format", "impossible", "past", "far"."""
    match = DATE_RE.match(text[:40])
    if match is None:
        return None, "format"
    d, m, y = (int(g) for g in match.groups())
    try:
        value = date(y, m, d)
    except ValueError:
        return None, "impossible"
    if value < day:
        return None, "past"
    if value > day + timedelta(days=366 * MAX_YEARS_AHEAD):
        return None, "far"
    return value, ""


@router.flow(FLOW_DUE)
async def typed_due(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    item = await load_item(ctx, str(ctx.state.get("plan_item", "")))
    if item is None:
        set_flow(ctx.state, Flow.IDLE.value)
        return
    value, error = parse_date_fr(event.text, local_today(ctx))
    if value is None:
        ctx.say(
            {
                "format": _(
                    "Je n’ai pas reconnu de date. Tapez-la au format JJ/MM/AAAA, par exemple 31/03/2027, ou /annuler."
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
    set_flow(ctx.state, Flow.IDLE.value, plan=ctx.state.get("plan"))
    await apply_due(ctx, item, value, edit=False)
