"""The reminder messages, rendered in the recipient's language (pure: the tick calls these).

Their buttons come back as ordinary button presses from the recipient ("rm:…", "p:…").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dialogs import ui
from dialogs.i18n import Translator
from dialogs.plan.buttons import PlanPage
from dialogs.plan.entries import item_priority_level, item_title, ordered
from dialogs.plan.view import Filters, due_words, status_label
from dialogs.questionnaire.buttons import ScoreButton
from dialogs.records import ActionItemInfo
from dialogs.reminders.buttons import Done, InProgress, Mute, SettingsMenu, Snooze
from dialogs.replies import Keyboard, Reply
from referential.models import Referential

MAX_DIGEST_ITEMS = 12
MINE = PlanPage(0, Filters(mine=True).code())


def action_title(ref: Referential, item: ActionItemInfo) -> str:
    """The title of an action item: its recommendation's, or the team's own title."""
    return item_title(item, ref)


def due_buttons(tr: Translator, item_id: int) -> Keyboard:
    _ = tr.gettext
    return (
        (ui.button(_("Fait"), Done(item_id)), ui.button(_("En cours"), InProgress(item_id))),
        (ui.button(_("Reporter d’une semaine"), Snooze(item_id)),),
        (ui.button(_("Ne plus me le rappeler"), Mute(item_id)),),
    )


def due_reply(tr: Translator, ref: Referential, item: ActionItemInfo, day: date) -> Reply:
    """A due-date reminder (J-7, J-1, overdue, or after a snooze): wording follows the calendar."""
    _ = tr.gettext
    assert item.due_date is not None
    when = due_words(tr, item.due_date, day)
    if item.due_date >= day:
        head = _("Rappel : l’action « {title} » arrive à échéance le {when}.")
    else:
        head = _("Rappel : l’action « {title} » a dépassé son échéance, le {when}.")
    text = "\n".join(
        [
            head.format(title=action_title(ref, item), when=when),
            _("Statut : {status}").format(status=status_label(tr, item.status)),
            "",
            _("Où en êtes-vous ?"),
        ]
    )
    return Reply(text, due_buttons(tr, item.id))


def digest_reply(
    tr: Translator, ref: Referential, name: str, items: list[ActionItemInfo], day: date
) -> Reply:
    """The weekly list of a person's open actions: dated ones first (soonest first), then the rest
    by priority."""
    _ = tr.gettext
    by_priority = ordered(ref, items)
    dated = sorted((i for i in by_priority if i.due_date), key=lambda i: i.due_date or day)
    rest = [i for i in by_priority if not i.due_date]
    chosen = (dated + rest)[:MAX_DIGEST_ITEMS]
    lines = [
        _("Bonjour {name} ! Vos actions du plan numérique responsable ({n}) :").format(
            name=name, n=len(by_priority)
        )
    ]
    for item in chosen:
        priority = item_priority_level(item, ref).value
        detail = [ui.priority_label(tr, priority), status_label(tr, item.status)]
        if item.due_date:
            detail.append(_("échéance {when}").format(when=due_words(tr, item.due_date, day)))
        lines.append(f"• {action_title(ref, item)}\n  {' · '.join(detail)}")
    others = len(by_priority) - len(chosen)
    if others > 0:
        lines.append(tr.ngettext("… et {n} autre.", "… et {n} autres.", others).format(n=others))
    return Reply(
        "\n".join(lines),
        (
            (ui.button(_("Voir mes actions"), MINE),),
            (ui.button(_("Régler mes rappels"), SettingsMenu()),),
        ),
    )


@dataclass(frozen=True)
class MonthlySummary:
    collectivite: str
    year: int
    month: int
    index_before: int | None  # None: no index yet at the start of the month
    index_after: int
    done: int  # items set to réalisé during the month
    overdue: int  # open items past their due date today
    open: int


def monthly_reply(tr: Translator, summary: MonthlySummary) -> Reply:
    _ = tr.gettext
    month = tr.date(date(summary.year, summary.month, 1), "LLLL yyyy")
    if summary.index_before is None:
        index = _("Indice de maturité : {after}/100 (premier bilan)").format(
            after=summary.index_after
        )
    else:
        delta = summary.index_after - summary.index_before
        index = _("Indice de maturité : {before} → {after}/100 ({delta})").format(
            before=summary.index_before,
            after=summary.index_after,
            delta=_("stable") if delta == 0 else f"{delta:+d}".replace("-", "−"),
        )
    lines = [
        _("Bilan de {month} pour {name}").format(month=month, name=summary.collectivite),
        index,
        _("Actions réalisées en {month} : {n}").format(month=month, n=summary.done),
        _("Actions en retard : {n}").format(n=summary.overdue),
        _("Actions ouvertes : {n}").format(n=summary.open),
    ]
    return Reply(
        "\n".join(lines),
        (
            (
                ui.button(_("Voir le plan d’actions"), PlanPage()),
                ui.button(_("Mon score"), ScoreButton()),
            ),
        ),
    )
