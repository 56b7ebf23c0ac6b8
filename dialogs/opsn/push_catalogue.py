"""The catalogue source of a pushed recommendation: a theme, then one of its recommendations.

Part of the referent's draft (`dialogs.opsn.push`): the buttons act only at the draft's « source »
step; a recommendation picked takes its question's priority and goes on to the due date.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.opsn.push import ask_due, draft
from dialogs.opsn.push_buttons import PushCancel, PushCatalogue, PushQuestion, PushTheme
from dialogs.opsn.supervision_view import LABEL_PAIRED, short
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.ui import button, page_nav, paginate

router = Router()

QUESTION_PAGE = 8


def catalogue_themes(ctx: Ctx) -> list[tuple[int, str]]:
    """(position, title) of the themes that have at least one recommendation."""
    return [
        (i, t.title)
        for i, t in enumerate(ctx.ref.themes)
        if any(q.recommendation is not None for q in ctx.ref.questions_of(t.id))
    ]


@router.button(PushCatalogue)
def catalogue(ctx: Ctx, event: Event, data: PushCatalogue) -> None:
    if draft(ctx, data.opsn_id, "source") is None:
        return
    themes = catalogue_themes(ctx)
    rows: list[tuple[Button, ...]] = [
        (button(short(f"{n}. {title}"), PushTheme(data.opsn_id, position)),)
        for n, (position, title) in enumerate(themes, 1)
    ]
    rows.append((button(_cancel(ctx), PushCancel(data.opsn_id)),))
    ctx.say(
        ctx._("Quel thème ?")
        + "\n"
        + "\n".join(f"{n}. {title}" for n, (_p, title) in enumerate(themes, 1)),
        tuple(rows),
        edit=True,
    )


def _cancel(ctx: Ctx) -> str:
    return ctx._("Annuler")


@router.button(PushTheme)
def theme(ctx: Ctx, event: Event, data: PushTheme) -> None:
    if draft(ctx, data.opsn_id, "source") is None:
        return
    if not 0 <= data.theme < len(ctx.ref.themes):
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
        return
    t = ctx.ref.themes[data.theme]
    found = [q for q in ctx.ref.questions_of(t.id) if q.recommendation is not None]
    page = paginate(found, data.page, QUESTION_PAGE)
    lines = [t.title]
    rows: list[tuple[Button, ...]] = []
    for n, q in enumerate(page.items, page.first_index + 1):
        assert q.recommendation is not None
        lines.append(f"{n}. {q.recommendation.title}")
        rows.append(
            (button(short(f"{n}. {q.recommendation.title}"), PushQuestion(data.opsn_id, q.id)),)
        )
    nav = page_nav(ctx.tr, page, lambda n: PushTheme(data.opsn_id, data.theme, n))
    if nav:
        rows.append(nav)
    rows.append(
        (
            button(short(ctx._("← Thèmes"), LABEL_PAIRED), PushCatalogue(data.opsn_id)),
            button(short(_cancel(ctx), LABEL_PAIRED), PushCancel(data.opsn_id)),
        )
    )
    ctx.say("\n".join(lines), tuple(rows), edit=True)


@router.button(PushQuestion)
def question(ctx: Ctx, event: Event, data: PushQuestion) -> None:
    state = draft(ctx, data.opsn_id, "source")
    if state is None:
        return
    q = ctx.ref.question(data.question_id) if ctx.ref.has_question(data.question_id) else None
    if q is None or q.recommendation is None:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
        return
    state.update(pq=q.id, pp=ctx.ref.weight(q), ps="due")
    ask_due(ctx, data.opsn_id)
