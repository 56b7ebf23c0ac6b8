"""What every screen repeats: labels of codes, paging with navigation buttons, a confirm step.

Like aiogram_dialog's widgets, these build plain `Button`s from typed button data, so features never
format button strings or page arithmetic by hand.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from dialogs.callbacks import CallbackData
from dialogs.i18n import N_, Translator
from dialogs.replies import Button, Keyboard

T = TypeVar("T")

PRIORITY = {
    "prioritaire": N_("Prioritaire"),
    "necessaire": N_("Nécessaire"),
    "recommandee": N_("Recommandée"),
}

ANSWER = {
    "oui": N_("Oui"),
    "non": N_("Non"),
    "nsp": N_("Je ne sais pas"),
    "nc": N_("Non concerné"),
}

# What a phone shows without cutting a button label: two or more buttons side by side, or one alone.
IN_ROW = 20
ALONE = 28

KIND = {
    "commune": N_("Commune"),
    "epci": N_("Intercommunalité (EPCI)"),
    "departement": N_("Département"),
    "region": N_("Région"),
    "syndicat_autre": N_("Syndicat ou autre"),
}


def priority_label(tr: Translator, code: str) -> str:
    return tr.gettext(PRIORITY.get(code, code))


def answer_label(tr: Translator, code: str) -> str:
    return tr.gettext(ANSWER.get(code, code))


def kind_label(tr: Translator, code: str) -> str:
    return tr.gettext(KIND.get(code, code))


# « de » / « que » before a name starting with a vowel: « demande d’Ève », « référent d’ADICO ».
# Only before a capital, so fixed texts are never touched: names are what get inserted.
_ELISION = re.compile(r"\b([Dd]e|[Qq]ue) (?=[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ])")


def elide(text: str) -> str:
    return _ELISION.sub(lambda m: m[1][:-1] + "’", text)


def fmt(template: str, /, **values: object) -> str:
    """`template.format(**values)` with French elision before inserted names."""
    return elide(template.format(**values))


def esc(text: str) -> str:
    """Escape user- or data-given text for an HTML reply (`ctx.say(..., html=True)`)."""
    return html.escape(text, quote=False)


def bold(text: str) -> str:
    """A short bold label in an HTML reply (« Statut », the question, the score)."""
    return f"<b>{esc(text)}</b>"


def fit(label: str, width: int = ALONE) -> str:
    """`label` cut to `width` characters with an ellipsis (data titles on buttons: themes, options)."""
    return label if len(label) <= width else label[: max(width - 1, 1)].rstrip() + "…"


def button(label: str, data: CallbackData) -> Button:
    return Button(label, data.pack())


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list; `number` is clamped, so a stale page button shows the last page."""

    items: tuple[T, ...]
    number: int  # 0-based
    count: int  # how many pages (at least 1)
    first_index: int  # position of items[0] in the whole list, 0-based

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


def paginate(items: Sequence[T], number: int, size: int) -> Page[T]:
    count = max(1, -(-len(items) // size))
    number = min(max(number, 0), count - 1)
    start = number * size
    return Page(tuple(items[start : start + size]), number, count, start)


def page_nav(
    tr: Translator, page: Page[T], to: Callable[[int], CallbackData]
) -> tuple[Button, ...]:
    """◀ / ▶ buttons for the pages around `page` (empty when there is one page)."""
    nav: list[Button] = []
    if page.has_previous:
        nav.append(button(tr.gettext("◀ Précédentes"), to(page.number - 1)))
    if page.has_next:
        nav.append(button(tr.gettext("Suivantes ▶"), to(page.number + 1)))
    return tuple(nav)


def confirm_rows(
    tr: Translator,
    yes: CallbackData,
    no: CallbackData,
    *,
    yes_label: str | None = None,
    no_label: str | None = None,
) -> Keyboard:
    """The confirm step of a destructive or binding action: one row, confirm then cancel."""
    return (
        (
            button(yes_label or tr.gettext("Confirmer"), yes),
            button(no_label or tr.gettext("Annuler"), no),
        ),
    )
