"""How action items read: status labels, list order, filters, due dates in words.

Shared by the /plan screens and the reminder messages (which are rendered for another user, so
everything here takes a `Translator`, not a `Ctx`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from dialogs import ui
from dialogs.i18n import N_, Translator
from dialogs.plan.buttons import StatusCode
from dialogs.plan.entries import (
    Answers,
    item_number,
    item_origin_label,
    item_priority_level,
    item_question,
    item_theme_id,
    item_theme_title,
    item_title,
)
from dialogs.records import OPEN_ITEM_STATUSES, ActionItemInfo, ItemStatus
from referential.models import Question, Referential

STATUS_LABELS: dict[str, str] = {  # keyed by value: the change log stores plain strings
    ItemStatus.A_FAIRE: N_("À faire"),
    ItemStatus.PLANIFIE: N_("Planifié"),
    ItemStatus.EN_COURS: N_("En cours"),
    ItemStatus.REALISE: N_("Réalisé"),
    ItemStatus.NON_RETENU: N_("Non retenu"),
}
STATUS_MARKS: dict[str, str] = {
    ItemStatus.A_FAIRE: "○",
    ItemStatus.PLANIFIE: "◔",
    ItemStatus.EN_COURS: "◑",
    ItemStatus.REALISE: "✓",
    ItemStatus.NON_RETENU: "✗",
}

# Filter codes: "p:l:0:<theme>.<priority>.<status>.<who>" must stay short (64-byte button data).
PRIORITY_CODES = {"p": "prioritaire", "n": "necessaire", "r": "recommandee"}
STATUS_FILTERS = ("o", "a", *(c.value for c in StatusCode))  # o = open ones (default), a = all


def status_label(tr: Translator, status: str) -> str:
    """The label of a status (a stored value from the change log may be any string)."""
    return tr.gettext(STATUS_LABELS.get(status, status))


@dataclass(frozen=True)
class Filters:
    """What the plan list shows; encoded as "theme.priority.status.who" ("-.-.o.-" by default)."""

    theme: str = "-"
    priority: str = "-"
    status: str = "o"
    mine: bool = False

    def code(self) -> str:
        return f"{self.theme}.{self.priority}.{self.status}.{'m' if self.mine else '-'}"

    @staticmethod
    def parse(code: str, ref: Referential) -> Filters:
        """Unknown parts fall back to the default: an old button never fails."""
        parts = [*code.split("."), "", "", "", ""][:4]
        themes = {t.id for t in ref.level_themes(1)}
        return Filters(
            theme=parts[0] if parts[0] in themes else "-",
            priority=parts[1] if parts[1] in PRIORITY_CODES else "-",
            status=parts[2] if parts[2] in STATUS_FILTERS else "o",
            mine=parts[3] == "m",
        )

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_default(self) -> bool:
        return self == Filters()

    def keeps(
        self, item: ActionItemInfo, ref: Referential, user_id: int, answers: Answers | None = None
    ) -> bool:
        if self.theme != "-" and item_theme_id(item, ref) != self.theme:
            return False
        if (
            self.priority != "-"
            and item_priority_level(item, ref, answers).value != PRIORITY_CODES[self.priority]
        ):
            return False
        if self.mine and item.assignee_id != user_id:
            return False
        if self.status == "o":
            return item.status in OPEN_ITEM_STATUSES
        if self.status == "a":
            return True
        return item.status == StatusCode(self.status).status


def due_words(tr: Translator, due: date, day: date) -> str:
    """ "lundi 7 décembre 2026 (dans 3 jours)", "(demain)", "(aujourd’hui)", "(en retard de 2 jours)"."""
    _ = tr.gettext
    delta = (due - day).days
    if delta > 1:
        hint = _("dans {n} jours").format(n=delta)
    elif delta == 1:
        hint = _("demain")
    elif delta == 0:
        hint = _("aujourd’hui")
    elif delta == -1:
        hint = _("en retard d’un jour")
    else:
        hint = _("en retard de {n} jours").format(n=-delta)
    return f"{tr.date(due)} ({hint})"


def item_line(
    tr: Translator,
    ref: Referential,
    item: ActionItemInfo,
    day: date,
    answers: Answers | None = None,
) -> str:
    """One line of the list: number, mark, title, then priority · status · who · when (and whose
    idea it was, for an own action)."""
    _ = tr.gettext
    details = [
        ui.priority_label(tr, item_priority_level(item, ref, answers).value),
        status_label(tr, item.status),
    ]
    origin = item_origin_label(item, tr)
    if origin:
        details.insert(0, origin)
    if item.assignee_name:
        details.append(item.assignee_name)
    if item.due_date and item.is_open:
        details.append(
            _("échéance {date}").format(date=tr.date(item.due_date, "d MMM"))
            + (" ⚠" if item.due_date < day else "")
        )
    mark = STATUS_MARKS.get(item.status, "•")
    return f"n° {item_number(item, ref)} {mark} {item_title(item, ref)}\n   {' · '.join(details)}"


def item_text(
    tr: Translator,
    ref: Referential,
    item: ActionItemInfo,
    day: date,
    answers: Answers | None = None,
) -> str:
    """The detail card of one item."""
    _ = tr.gettext
    priority = ui.priority_label(tr, item_priority_level(item, ref, answers).value).lower()
    theme = item_theme_title(item, ref)
    lines = [
        f"n° {item_number(item, ref)} — {item_title(item, ref)}",
        _("{theme} · priorité {priority}").format(theme=theme, priority=priority)
        if theme
        else _("Priorité {priority}").format(priority=priority),
    ]
    origin = item_origin_label(item, tr)
    if origin:
        lines.append(origin)
    lines += [
        "",
        _("Statut : {status}").format(status=status_label(tr, item.status)),
    ]
    if item.status is ItemStatus.NON_RETENU and item.reason:
        lines.append(_("Raison : {reason}").format(reason=item.reason))
    lines.append(
        _("Personne en charge : {name}").format(name=item.assignee_name or _("à désigner"))
    )
    if item.due_date is None:
        lines.append(_("Échéance : aucune"))
    elif item.is_open:
        lines.append(_("Échéance : {date}").format(date=due_words(tr, item.due_date, day)))
    else:
        lines.append(_("Échéance : {date}").format(date=tr.date(item.due_date)))
    if item.reminders_muted and item.is_open:
        lines.append(_("Rappels coupés pour cette action."))
    q = item_question(item, ref)
    if item.details:
        lines += ["", _("Description : {details}").format(details=item.details)]
    elif q is not None and q.recommendation is not None:
        lines += [
            "",
            _("Pourquoi : {why}").format(why=q.recommendation.why),
            "",
            _("Comment : {how}").format(how=q.recommendation.how),
        ]
    return "\n".join(lines)


def resources_text(tr: Translator, q: Question) -> str:
    lines = [tr.gettext("Ressources pour « {title} » :").format(title=q.advice().title)]
    lines += [f"• {r.title}\n  {r.url}" for r in q.advice().resources]
    return "\n".join(lines)
