"""The draft of an own action being added: kept in the conversation state until « Enregistrer ».

Nothing reaches the store before then: /annuler, « Annuler » or leaving the flow drops the draft.
The state is read back defensively (a value of the wrong type means "not given yet").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from dialogs import ui
from dialogs.i18n import Translator
from dialogs.plan.buttons import AddStep, PriorityCode
from dialogs.state import Flow, flow_of
from referential.models import Priority, Referential

KEY = "plan_add"  # the draft, in the conversation state
ADDED = "plan_added"  # [draft number, item id] of the draft just saved (a second tap finds it)
TITLE_MIN = 3
TITLE_MAX = 120  # storage: action_items.title
DETAILS_MAX = 1000  # storage: action_items.details
DRAFT_SPACE = 2_000_000_000  # draft numbers stay within a button's int field
STEPS = tuple(AddStep)
REVIEW = "ok"  # the step after the last one: the confirmation screen


def priority_of(code: PriorityCode) -> Priority:
    return Priority[code.name]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Draft:
    number: int
    step: str  # an AddStep value, or REVIEW
    fixing: bool = False  # correcting one field from the confirmation screen: back there after
    title: str | None = None
    theme: str | None = None
    priority: PriorityCode | None = None
    details: str | None = None
    assignee_id: int | None = None
    due: date | None = None

    @staticmethod
    def new(now: datetime) -> Draft:
        return Draft(int(now.timestamp() * 1000) % DRAFT_SPACE, AddStep.TITLE.value)

    @staticmethod
    def load(state: dict[str, Any]) -> Draft | None:
        """The draft of the conversation, if it is in the add flow."""
        raw = state.get(KEY)
        if flow_of(state) != Flow.PLAN_ADD.value or not isinstance(raw, dict):
            return None
        number, step = _int(raw.get("n")), _text(raw.get("s"))
        if number is None or step not in {*(s.value for s in STEPS), REVIEW}:
            return None
        code = _text(raw.get("p"))
        due = _text(raw.get("e"))
        try:
            due_date = date.fromisoformat(due) if due else None
        except ValueError:
            due_date = None
        return Draft(
            number=number,
            step=step,
            fixing=raw.get("f") is True,
            title=_text(raw.get("t")),
            theme=_text(raw.get("h")),
            priority=PriorityCode(code) if code in {c.value for c in PriorityCode} else None,
            details=_text(raw.get("d")),
            assignee_id=_int(raw.get("a")),
            due=due_date,
        )

    def dump(self) -> dict[str, Any]:
        return {
            "n": self.number,
            "s": self.step,
            "f": self.fixing,
            "t": self.title,
            "h": self.theme,
            "p": self.priority.value if self.priority else None,
            "d": self.details,
            "a": self.assignee_id,
            "e": self.due.isoformat() if self.due else None,
        }

    def after(self, step: AddStep, **values: Any) -> Draft:
        """The draft with `values` given at `step`, moved on to the next step (or back to the
        confirmation screen when a field was being corrected)."""
        following = STEPS.index(step) + 1
        nxt = REVIEW if self.fixing or following == len(STEPS) else STEPS[following].value
        return replace(self, step=nxt, **values)

    @property
    def complete(self) -> bool:
        return bool(self.title and self.theme and self.priority)


def clean_title(text: str) -> tuple[str | None, str]:
    """(title, "") or (None, "short" | "long"): spaces collapsed, 3 to 120 characters."""
    title = " ".join(text.split())
    if len(title) < TITLE_MIN:
        return None, "short"
    if len(title) > TITLE_MAX:
        return None, "long"
    return title, ""


def clean_details(text: str) -> tuple[str | None, str]:
    """(description, "") or (None, "empty" | "long"): lines kept, spaces collapsed in each."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    details = "\n".join(lines).strip()
    if not details:
        return None, "empty"
    if len(details) > DETAILS_MAX:
        return None, "long"
    return details, ""


def summary(
    tr: Translator, ref: Referential, draft: Draft, assignee_name: str | None, day_text: str
) -> str:
    """The confirmation screen's text: every field, « à désigner »/« aucune » when not given."""
    _ = tr.gettext
    theme = ref.theme(draft.theme).title if draft.theme else "—"
    priority = ui.priority_label(tr, priority_of(draft.priority).value) if draft.priority else "—"
    return "\n".join(
        [
            _("Vérifiez la nouvelle action de l’équipe :"),
            "",
            _("Titre : {title}").format(title=draft.title or "—"),
            _("Thème : {theme}").format(theme=theme),
            _("Priorité : {priority}").format(priority=priority),
            _("Description : {details}").format(details=draft.details or _("aucune")),
            _("Personne en charge : {name}").format(name=assignee_name or _("à désigner")),
            _("Échéance : {date}").format(date=day_text or _("aucune")),
            "",
            _("Rien n’est enregistré avant « Enregistrer »."),
        ]
    )
