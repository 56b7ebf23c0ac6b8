"""/rappels (pause, resume, digest day and hour) and the buttons of the reminder messages.

Button data (prefix "rm"): "rm:done|wip|snz|mute:<item id>" from due reminders, "rm:menu",
"rm:pause", "rm:resume", "rm:day[:<0-4>]", "rm:hour[:<h>]".
"""

from __future__ import annotations

from datetime import timedelta

from babel.dates import get_day_names

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.cards import load_item
from dialogs.plan.close import offer_answer_update
from dialogs.plan.items import change_status
from dialogs.plan.ports import EN_COURS, REALISE, ActionItemInfo, ReminderPrefs
from dialogs.plan.schedule import DIGEST_HOURS, WORKING_DAYS, today
from dialogs.plan.view import Filters, status_label
from dialogs.replies import Button
from dialogs.router import Router, button_args

router = Router()

SNOOZE_DAYS = 7


def _day_names(ctx: Ctx) -> dict[int, str]:
    return {k: str(v) for k, v in get_day_names("wide", locale=ctx.tr.locale).items()}


def _hour(ctx: Ctx, hour: int) -> str:
    return ctx._("{hour} h").format(hour=hour)


async def show_settings(ctx: Ctx, *, edit: bool = False, note: str = "") -> None:
    _ = ctx._
    prefs: ReminderPrefs = await ctx.store.plan.reminder_prefs(ctx.user.id)
    day = _day_names(ctx)[prefs.digest_weekday]
    lines = [note] if note else []
    lines.append(
        _("Vos rappels sont en pause : je ne vous envoie rien.")
        if prefs.paused
        else _("Vos rappels sont actifs.")
    )
    lines += [
        _("• Récapitulatif de vos actions : chaque {day} à {hour}.").format(
            day=day, hour=_hour(ctx, prefs.digest_hour)
        ),
        _("• Échéances : 7 jours avant, la veille, puis chaque semaine en cas de retard."),
        _("• Jamais avant 8 h, après 20 h ni le week-end."),
    ]
    toggle = (
        Button(_("Reprendre les rappels"), "rm:resume")
        if prefs.paused
        else Button(_("Mettre en pause"), "rm:pause")
    )
    ctx.say(
        "\n".join(lines),
        (
            (toggle,),
            (Button(_("Changer le jour"), "rm:day"), Button(_("Changer l’heure"), "rm:hour")),
            (Button(_("Mes actions"), f"p:l:0:{Filters(mine=True).code()}"),),
        ),
        edit=edit,
    )


@router.command("rappels", "reminders", "rappel")
async def reminders_command(ctx: Ctx, event: Event) -> None:
    await show_settings(ctx)


async def _settings_button(ctx: Ctx, action: str, args: list[str]) -> None:
    _ = ctx._
    plan = ctx.store.plan
    if action == "pause":
        await plan.set_reminder_prefs(ctx.user.id, now=ctx.now, paused=True)
        await show_settings(ctx, edit=True, note=_("C’est noté : rappels en pause."))
    elif action == "resume":
        await plan.set_reminder_prefs(ctx.user.id, now=ctx.now, paused=False)
        await show_settings(ctx, edit=True, note=_("C’est noté : rappels repris."))
    elif action == "day" and args and args[0].isdigit() and int(args[0]) < WORKING_DAYS:
        await plan.set_reminder_prefs(ctx.user.id, now=ctx.now, digest_weekday=int(args[0]))
        await show_settings(ctx, edit=True, note=_("Jour du récapitulatif changé."))
    elif action == "day":
        names = _day_names(ctx)
        days = tuple((Button(names[d].capitalize(), f"rm:day:{d}"),) for d in range(WORKING_DAYS))
        ctx.say(_("Quel jour pour le récapitulatif ?"), days, edit=True)
    elif action == "hour" and args and args[0].isdigit() and int(args[0]) in DIGEST_HOURS:
        await plan.set_reminder_prefs(ctx.user.id, now=ctx.now, digest_hour=int(args[0]))
        await show_settings(ctx, edit=True, note=_("Heure du récapitulatif changée."))
    elif action == "hour":
        hours = (tuple(Button(_hour(ctx, h), f"rm:hour:{h}") for h in DIGEST_HOURS),)
        ctx.say(_("À quelle heure ?"), hours, edit=True)
    else:
        await show_settings(ctx, edit=True)


async def _closed(ctx: Ctx, item: ActionItemInfo) -> bool:
    """Reminder buttons on an item already closed: say so (and still offer the answer update)."""
    if item.is_open:
        return False
    ctx.say(
        ctx._("Cette action est close ({status}) : plus de rappel.").format(
            status=status_label(ctx.tr, item.status)
        ),
        edit=True,
    )
    if item.status == REALISE:
        await offer_answer_update(ctx, item)
    return True


async def _item_button(ctx: Ctx, action: str, raw_id: str) -> None:
    _ = ctx._
    item = await load_item(ctx, raw_id)
    if item is None or await _closed(ctx, item):
        return
    title = ctx.ref.question(item.question_id).recommendation.title
    plan = ctx.store.plan
    if action == "done":
        await change_status(ctx, item, REALISE, edit=True)
    elif action == "wip":
        if item.status != EN_COURS:
            await plan.update_item(item.id, {"status": EN_COURS}, actor_id=ctx.user.id, now=ctx.now)
        ctx.toast(_("Statut : {status}").format(status=status_label(ctx.tr, EN_COURS)))
        ctx.say(
            _(
                "C’est noté : « {title} » est en cours. Je vous la rappellerai jusqu’à l’échéance."
            ).format(title=title),
            edit=True,
        )
    elif action == "snz":
        until = today(ctx.now, ctx.config.timezone) + timedelta(days=SNOOZE_DAYS)
        await plan.update_item(item.id, {"snoozed_until": until}, actor_id=ctx.user.id, now=ctx.now)
        ctx.say(
            _("C’est noté : je vous reparle de « {title} » le {date}.").format(
                title=title, date=ctx.tr.date(until)
            ),
            edit=True,
        )
    else:  # mute
        await plan.update_item(
            item.id, {"reminders_muted": True}, actor_id=ctx.user.id, now=ctx.now
        )
        ctx.say(
            _(
                "C’est noté : je ne vous rappellerai plus « {title} ». "
                "Elle reste dans le plan ; vous pouvez réactiver ses rappels depuis sa fiche."
            ).format(title=title),
            ((Button(_("Voir l’action"), f"p:i:{item.id}"),),),
            edit=True,
        )


@router.button("rm")
async def reminder_button(ctx: Ctx, event: Event) -> None:
    if await ctx.member() is None:
        from dialogs.general import stale_button

        await stale_button(ctx, event)
        return
    args = button_args(event.data)
    action, rest = (args[0], args[1:]) if args else ("menu", [])
    if action in ("done", "wip", "snz", "mute"):
        await _item_button(ctx, action, rest[0] if rest else "")
    else:
        await _settings_button(ctx, action, rest)
