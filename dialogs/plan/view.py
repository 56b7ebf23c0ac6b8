"""How action items read: status labels, list order, filters, due dates in words.

Shared by the /plan screens and the reminder messages (which are rendered for another user, so
everything here takes a `Translator`, not a `Ctx`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from dialogs import ui
from dialogs.i18n import N_, Translator
from dialogs.plan.buttons import StatusCode
from dialogs.plan.sync import plan_questions
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

    def keeps(self, item: ActionItemInfo, q: Question, user_id: int) -> bool:
        if self.theme != "-" and q.theme != self.theme:
            return False
        if self.priority != "-" and q.priority.value != PRIORITY_CODES[self.priority]:
            return False
        if self.mine and item.assignee_id != user_id:
            return False
        if self.status == "o":
            return item.status in OPEN_ITEM_STATUSES
        if self.status == "a":
            return True
        return item.status == StatusCode(self.status).status


def plan_number(ref: Referential, question_id: str) -> int:
    """An action's stable number: its question's place in the referential. Marking actions done or
    filtering the list never moves it, so « n° 12 » means the same action in chat, page and files."""
    return next((i for i, q in enumerate(ref.questions, start=1) if q.id == question_id), 0)


def ordered(
    ref: Referential, items: Iterable[ActionItemInfo]
) -> list[tuple[ActionItemInfo, Question]]:
    """Priority first (heaviest weight), then theme order, then question order; items whose
    question left the questionnaire are not shown."""
    position = {q.id: i for i, q in enumerate(plan_questions(ref))}
    kept = [
        (item, ref.question(item.question_id)) for item in items if item.question_id in position
    ]
    kept.sort(key=lambda pair: (-ref.weight(pair[1]), position[pair[1].id]))
    return kept


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
    tr: Translator, ref: Referential, item: ActionItemInfo, q: Question, number: int, day: date
) -> str:
    """One line of the list: number, mark, title, then priority · status · who · when."""
    _ = tr.gettext
    details = [ui.priority_label(tr, q.priority.value), status_label(tr, item.status)]
    if item.assignee_name:
        details.append(item.assignee_name)
    if item.due_date and item.is_open:
        details.append(
            _("échéance {date}").format(date=tr.date(item.due_date, "d MMM"))
            + (" ⚠" if item.due_date < day else "")
        )
    mark = STATUS_MARKS.get(item.status, "•")
    return f"n° {number} {mark} {q.advice().title}\n   {' · '.join(details)}"


def item_text(tr: Translator, ref: Referential, item: ActionItemInfo, day: date) -> str:
    """The detail card of one item."""
    _ = tr.gettext
    q = ref.question(item.question_id)
    rec = q.advice()
    lines = [
        f"n° {plan_number(ref, q.id)} — {rec.title}",
        _("{theme} · priorité {priority}").format(
            theme=ref.theme(q.theme).title, priority=ui.priority_label(tr, q.priority.value).lower()
        ),
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
    lines += [
        "",
        _("Pourquoi : {why}").format(why=rec.why),
        "",
        _("Comment : {how}").format(how=rec.how),
    ]
    return "\n".join(lines)


def resources_text(tr: Translator, q: Question) -> str:
    lines = [tr.gettext("Ressources pour « {title} » :").format(title=q.advice().title)]
    lines += [f"• {r.title}\n  {r.url}" for r in q.advice().resources]
    return "\n".join(lines)
