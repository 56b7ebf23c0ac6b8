"""The texts of a referent's supervision screens: a followed collectivité's overview and its answers.

Pure rendering from what the store gives (status, answers, plan items), so the chat screens and
their tests share one spelling. Every text stays under Telegram's 4096 characters: the overview
caps its lists, and the answers of a theme are cut into pages by length (`answer_pages`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from dialogs import ui
from dialogs.answers import answer_label
from dialogs.i18n import Translator
from dialogs.plan import entries
from dialogs.plan.view import status_label
from dialogs.records import OPEN_ITEM_STATUSES, ActionItemInfo, CollectiviteStatus, ItemStatus
from referential.answers import format_answer
from referential.kinds import DONT_KNOW, NOT_APPLICABLE
from referential.models import Question, Referential, Theme
from referential.scoring import score
from referential.visibility import shown_ids

PAGE_CHARS = 3500  # room under Telegram's 4096 for a heading and a page number
MAX_OVERDUE_SHOWN = 10
LABEL_ALONE = 28  # a button alone on its row
LABEL_PAIRED = 20  # a button sharing its row


def short(label: str, limit: int = LABEL_ALONE) -> str:
    """A button label cut to `limit` characters, with an ellipsis when cut."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def item_title(ref: Referential, item: ActionItemInfo) -> str:
    return entries.item_title(item, ref)


def overdue(items: Iterable[ActionItemInfo], today: date) -> list[ActionItemInfo]:
    """Open items whose due date has passed, the oldest due first."""
    late = [
        i
        for i in items
        if i.status in OPEN_ITEM_STATUSES and i.due_date is not None and i.due_date < today
    ]
    return sorted(late, key=lambda i: (i.due_date or today, i.id))


def level_answered(ref: Referential, answers: Mapping[str, str], level: int) -> tuple[int, int]:
    questions = ref.level_questions(level, include_locked=True)
    return sum(1 for q in questions if q.id in answers), len(questions)


def overview(
    tr: Translator,
    ref: Referential,
    status: CollectiviteStatus,
    answers: Mapping[str, str],
    items: list[ActionItemInfo],
    today: date,
) -> str:
    """Profile, index and letter, per-theme scores, level-2 progress, plan status, overdue actions."""
    c = status.collectivite
    s = score(ref, answers)
    lines = [
        c.name,
        tr.gettext("{kind} · SIRET {siret}").format(kind=ui.kind_label(tr, c.kind), siret=c.siret),
        tr.gettext("Département {dep} · {pop} habitants").format(
            dep=c.departement, pop=tr.number(c.population)
        ),
    ]
    if s.progress.answered:
        lines.append(
            tr.gettext("Indice {index}/100, lettre {grade} · niveau 1 rempli à {percent}").format(
                index=s.index, grade=s.grade, percent=tr.percent(s.progress.percent)
            )
        )
    else:
        lines.append(tr.gettext("Questionnaire pas encore commencé"))
    done, total = level_answered(ref, answers, 2)
    if total:
        lines.append(
            tr.ngettext(
                "Niveau 2 : {done} réponse sur {total}",
                "Niveau 2 : {done} réponses sur {total}",
                done,
            ).format(done=tr.number(done), total=tr.number(total))
        )
    lines += ["", tr.gettext("Indice par thème :")]
    for t in s.themes:
        lines.append(
            tr.gettext("• {theme} : {index}/100 ({answered}/{total} réponses)").format(
                theme=t.title, index=t.index, answered=t.answered, total=t.total
            )
            if t.answered
            else tr.gettext("• {theme} : pas encore de réponse").format(theme=t.title)
        )
    lines += ["", plan_status(tr, items)]
    late = overdue(items, today)
    if late:
        lines.append(tr.gettext("Actions en retard ({n}) :").format(n=tr.number(len(late))))
        for item in late[:MAX_OVERDUE_SHOWN]:
            assert item.due_date is not None
            lines.append(
                tr.gettext("• {title} — prévue le {date}").format(
                    title=item_title(ref, item), date=tr.date(item.due_date, "long")
                )
                + (f" ({item.assignee_name})" if item.assignee_name else "")
            )
        if len(late) > MAX_OVERDUE_SHOWN:
            lines.append(
                tr.gettext("… et {n} autres.").format(n=tr.number(len(late) - MAX_OVERDUE_SHOWN))
            )
    elif items:
        lines.append(tr.gettext("Aucune action en retard."))
    return "\n".join(lines)[:PAGE_CHARS]


def plan_status(tr: Translator, items: list[ActionItemInfo]) -> str:
    if not items:
        return tr.gettext("Plan d’actions : aucune action pour l’instant.")
    counts = Counter(i.status for i in items)
    parts = [f"{status_label(tr, s)} {tr.number(counts[s])}" for s in ItemStatus if counts.get(s)]
    return tr.gettext("Plan d’actions ({n}) : {counts}").format(
        n=tr.number(len(items)), counts=" · ".join(parts)
    )


def answer_text(tr: Translator, q: Question, value: str | None) -> str:
    """An answer as the team gave it: French figures, « Non concerné », « Je ne sais pas »."""
    if value is None:
        return tr.gettext("pas de réponse")
    if value == NOT_APPLICABLE:
        return tr.gettext("Non concerné")
    if value == DONT_KNOW:
        return tr.gettext("Je ne sais pas")
    return format_answer(q, value) or answer_label(tr, q, value)


def visible_questions(ref: Referential, theme: Theme, answers: Mapping[str, str]) -> list[Question]:
    """The theme's questions the team is asked (a condition may hide some), plus any answered."""
    shown = shown_ids(ref, answers)
    return [q for q in ref.questions_of(theme.id) if q.id in shown or q.id in answers]


def answer_pages(
    tr: Translator, ref: Referential, theme: Theme, answers: Mapping[str, str]
) -> list[str]:
    """The theme's questions and answers, cut into pages of at most PAGE_CHARS characters."""
    pages: list[str] = []
    current = ""
    for q in visible_questions(ref, theme, answers):
        block = f"{q.id} · {q.text}\n→ {answer_text(tr, q, answers.get(q.id))}"[:PAGE_CHARS]
        if current and len(current) + 2 + len(block) > PAGE_CHARS:
            pages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    pages.append(current or tr.gettext("Aucune question dans ce thème."))
    return pages
