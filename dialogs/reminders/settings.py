"""/rappels (pause, resume, digest day and hour) and the buttons of the reminder messages.

The buttons ("rm:…", see dialogs.reminders.buttons) answer only a member of a collectivité; the
item buttons re-check the item like every plan screen does.
"""

from __future__ import annotations

from datetime import timedelta

from babel.dates import get_day_names

from dialogs.access import require_member
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.buttons import ItemButton
from dialogs.plan.cards import load_item
from dialogs.plan.close import offer_answer_update
from dialogs.plan.items import change_status
from dialogs.plan.schedule import DIGEST_HOURS, WORKING_DAYS, today
from dialogs.plan.view import status_label
from dialogs.records import ActionItemInfo, ItemStatus
from dialogs.reminders.buttons import (
    DigestDay,
    DigestHour,
    Done,
    InProgress,
    Mute,
    Pause,
    Resume,
    SettingsMenu,
    Snooze,
)
from dialogs.reminders.texts import MINE, action_title
from dialogs.router import Router
from dialogs.ui import button

router = Router()

SNOOZE_DAYS = 7


def _day_names(ctx: Ctx) -> dict[int, str]:
    return {k: str(v) for k, v in get_day_names("wide", locale=ctx.tr.locale).items()}


def _hour(ctx: Ctx, hour: int) -> str:
    return ctx._("{hour} h").format(hour=hour)


def show_settings(ctx: Ctx, *, edit: bool = False, note: str = "") -> None:
    _ = ctx._
    prefs = ctx.store.people.reminder_prefs(ctx.user.id)
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
        button(_("Reprendre les rappels"), Resume())
        if prefs.paused
        else button(_("Mettre en pause"), Pause())
    )
    ctx.say(
        "\n".join(lines),
        (
            (toggle,),
            (button(_("Changer le jour"), DigestDay()), button(_("Changer l’heure"), DigestHour())),
            (button(_("Mes actions"), MINE),),
        ),
        edit=edit,
    )


@router.command("rappels", "reminders", "rappel")
def reminders_command(ctx: Ctx, event: Event) -> None:
    show_settings(ctx)


@router.button(SettingsMenu)
def settings_menu(ctx: Ctx, event: Event, data: SettingsMenu) -> None:
    if require_member(ctx) is not None:
        show_settings(ctx, edit=True)


@router.button(Pause)
def pause(ctx: Ctx, event: Event, data: Pause) -> None:
    _set_paused(ctx, True)


@router.button(Resume)
def resume(ctx: Ctx, event: Event, data: Resume) -> None:
    _set_paused(ctx, False)


def _set_paused(ctx: Ctx, paused: bool) -> None:
    if require_member(ctx) is None:
        return
    _ = ctx._
    ctx.store.people.set_reminder_prefs(ctx.user.id, now=ctx.now, paused=paused)
    note = _("C’est noté : rappels en pause.") if paused else _("C’est noté : rappels repris.")
    show_settings(ctx, edit=True, note=note)


@router.button(DigestDay)
def digest_day(ctx: Ctx, event: Event, data: DigestDay) -> None:
    if require_member(ctx) is None:
        return
    _ = ctx._
    if data.weekday is not None and data.weekday < WORKING_DAYS:
        ctx.store.people.set_reminder_prefs(ctx.user.id, now=ctx.now, digest_weekday=data.weekday)
        show_settings(ctx, edit=True, note=_("Jour du récapitulatif changé."))
        return
    names = _day_names(ctx)
    days = tuple((button(names[d].capitalize(), DigestDay(d)),) for d in range(WORKING_DAYS))
    ctx.say(_("Quel jour pour le récapitulatif ?"), days, edit=True)


@router.button(DigestHour)
def digest_hour(ctx: Ctx, event: Event, data: DigestHour) -> None:
    if require_member(ctx) is None:
        return
    _ = ctx._
    if data.hour in DIGEST_HOURS:
        ctx.store.people.set_reminder_prefs(ctx.user.id, now=ctx.now, digest_hour=data.hour)
        show_settings(ctx, edit=True, note=_("Heure du récapitulatif changée."))
        return
    hours = (tuple(button(_hour(ctx, h), DigestHour(h)) for h in DIGEST_HOURS),)
    ctx.say(_("À quelle heure ?"), hours, edit=True)


def _open_item(ctx: Ctx, item_id: int) -> ActionItemInfo | None:
    """The item of a due-date reminder, if still open; a closed one is said so (and still offers
    the answer update when it was done)."""
    item = load_item(ctx, item_id)
    if item is None or item.is_open:
        return item
    ctx.say(
        ctx._("Cette action est close ({status}) : plus de rappel.").format(
            status=status_label(ctx.tr, item.status)
        ),
        edit=True,
    )
    if item.status is ItemStatus.REALISE:
        offer_answer_update(ctx, item)
    return None


def _title(ctx: Ctx, item: ActionItemInfo) -> str:
    return action_title(ctx.ref, item)


@router.button(Done)
def done(ctx: Ctx, event: Event, data: Done) -> None:
    item = _open_item(ctx, data.item_id)
    if item is not None:
        change_status(ctx, item, ItemStatus.REALISE, edit=True)


@router.button(InProgress)
def in_progress(ctx: Ctx, event: Event, data: InProgress) -> None:
    item = _open_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    if item.status is not ItemStatus.EN_COURS:
        ctx.store.plan.update_item(
            item.id, {"status": ItemStatus.EN_COURS}, actor_id=ctx.user.id, now=ctx.now
        )
    ctx.toast(_("Statut : {status}").format(status=status_label(ctx.tr, ItemStatus.EN_COURS)))
    ctx.say(
        _(
            "C’est noté : « {title} » est en cours. Je vous la rappellerai jusqu’à l’échéance."
        ).format(title=_title(ctx, item)),
        edit=True,
    )


@router.button(Snooze)
def snooze(ctx: Ctx, event: Event, data: Snooze) -> None:
    item = _open_item(ctx, data.item_id)
    if item is None:
        return
    until = today(ctx.now, ctx.config.timezone) + timedelta(days=SNOOZE_DAYS)
    ctx.store.plan.update_item(item.id, {"snoozed_until": until}, actor_id=ctx.user.id, now=ctx.now)
    ctx.say(
        ctx._("C’est noté : je vous reparle de « {title} » le {date}.").format(
            title=_title(ctx, item), date=ctx.tr.date(until)
        ),
        edit=True,
    )


@router.button(Mute)
def mute(ctx: Ctx, event: Event, data: Mute) -> None:
    item = _open_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    ctx.store.plan.update_item(
        item.id, {"reminders_muted": True}, actor_id=ctx.user.id, now=ctx.now
    )
    ctx.say(
        _(
            "C’est noté : je ne vous rappellerai plus « {title} ». "
            "Elle reste dans le plan ; vous pouvez réactiver ses rappels depuis sa fiche."
        ).format(title=_title(ctx, item)),
        ((button(_("Voir l’action"), ItemButton(item.id)),),),
        edit=True,
    )
