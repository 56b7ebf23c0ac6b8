"""/plan: the action plan, ordered by priority then theme, paged for a phone, filtered by buttons.

Button data (prefix "p"): "p:l:<page>:<filters>" list, "p:ft|fp|fs:<filters>" filter pickers (filters
encoded by `Filters.code`, e.g. "GOV.p.o.m"); item screens ("p:i:<id>" …) live in dialogs.plan_items.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dialogs import ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan import assignees as plan_people
from dialogs.plan import close as plan_close
from dialogs.plan import due as plan_due
from dialogs.plan import items as plan_items
from dialogs.plan.cards import Rows, local_today
from dialogs.plan.ports import STATUSES, ActionItemInfo
from dialogs.plan.sync import ensure_items
from dialogs.plan.view import (
    CODE_OF_STATUS,
    PRIORITY_CODES,
    STATUS_CODES,
    Filters,
    item_line,
    ordered,
    status_label,
)
from dialogs.replies import Button
from dialogs.router import Router, button_args
from referential.models import Question

router = Router()
router.include(plan_items.router)  # typed reason (« non retenu »)
router.include(plan_due.router)  # typed due date

PAGE_SIZE = 6
MAX_TEXT = 3900  # under Telegram's 4 096 characters, with room for the channel's escaping
BUTTON_TITLE = 34


def short(text: str, size: int = BUTTON_TITLE) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


async def require_member(ctx: Ctx) -> int | None:
    member = await ctx.member()
    if member is not None:
        return member.collectivite.id
    _ = ctx._
    ctx.say(
        _("Il faut d’abord inscrire votre collectivité (ou rejoindre son équipe)."),
        ((Button(_("Inscrire ma collectivité"), "ob:go"),),),
    )
    return None


def filters_words(ctx: Ctx, filters: Filters) -> str:
    _ = ctx._
    words = []
    if filters.theme != "-":
        words.append(ctx.ref.theme(filters.theme).title)
    if filters.priority != "-":
        words.append(ui.priority_label(ctx.tr, PRIORITY_CODES[filters.priority]))
    if filters.status == "o":
        words.append(_("actions ouvertes"))
    elif filters.status != "a":
        words.append(status_label(ctx.tr, STATUS_CODES[filters.status]))
    if filters.mine:
        words.append(_("mes actions"))
    return ", ".join(words) if words else _("toutes les actions")


def counts_line(ctx: Ctx, items: list[ActionItemInfo]) -> str:
    counts = {status: 0 for status in STATUSES}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return " · ".join(
        f"{status_label(ctx.tr, status)} {counts[status]}" for status in STATUSES if counts[status]
    )


def filter_rows(ctx: Ctx, filters: Filters) -> Rows:
    _ = ctx._
    code = filters.code()
    rows: list[tuple[Button, ...]] = [
        (
            Button(_("Thème"), f"p:ft:{code}"),
            Button(_("Priorité"), f"p:fp:{code}"),
            Button(_("Statut"), f"p:fs:{code}"),
        ),
        (
            Button(
                _("Toute l’équipe") if filters.mine else _("Mes actions"),
                f"p:l:0:{filters.with_(mine=not filters.mine).code()}",
            ),
        ),
    ]
    if not filters.is_default:
        rows[-1] += (Button(_("Effacer les filtres"), f"p:l:0:{Filters().code()}"),)
    return tuple(rows)


async def show_plan(
    ctx: Ctx, filters: Filters | None = None, page: int = 0, *, edit: bool = False
) -> None:
    """The list screen; `edit` replaces the message that carried the pressed button."""
    cid = await require_member(ctx)
    if cid is None:
        return
    _ = ctx._
    if filters is None:
        saved = ctx.state.get("plan")
        filters = (
            Filters.parse(str(saved.get("f", "")), ctx.ref)
            if isinstance(saved, dict)
            else Filters()
        )
    items = await ensure_items(ctx, cid)
    if not items:
        ctx.say(
            _(
                "Votre plan d’actions est vide : aucune réponse « non » ou « je ne sais pas » pour l’instant."
            ),
            ((Button(_("▶ Questionnaire"), "q:menu"),),),
            edit=edit,
        )
        return
    shown = [
        (item, q) for item, q in ordered(ctx.ref, items) if filters.keeps(item, q, ctx.user.id)
    ]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    ctx.state["plan"] = {"f": filters.code(), "pg": page}
    heading = (
        _("Plan d’actions : 1 action sur {total} ({filters})")
        if len(shown) == 1
        else _("Plan d’actions : {n} actions sur {total} ({filters})")
    )
    header = [
        heading.format(n=len(shown), total=len(items), filters=filters_words(ctx, filters)),
        counts_line(ctx, items),
    ]
    if not shown:
        ctx.say(
            "\n".join([*header, "", _("Aucune action ne correspond à ces filtres.")]),
            filter_rows(ctx, filters),
            edit=edit,
        )
        return
    first = page * PAGE_SIZE
    chunk = shown[first : first + PAGE_SIZE]
    lines = [
        item_line(ctx.tr, ctx.ref, item, q, first + i + 1, local_today(ctx))
        for i, (item, q) in enumerate(chunk)
    ]
    footer = _("Page {page}/{pages} · touchez une action pour la gérer.").format(
        page=page + 1, pages=pages
    )
    text = "\n".join([*header, "", *lines, "", footer])
    if (
        len(text) > MAX_TEXT
    ):  # cannot happen with referential limits; never send an over-long message
        text = text[: MAX_TEXT - 1] + "…"
    ctx.say(text, list_rows(ctx, chunk, first, page, pages, filters), edit=edit)


def list_rows(
    ctx: Ctx,
    chunk: list[tuple[ActionItemInfo, Question]],
    first: int,
    page: int,
    pages: int,
    filters: Filters,
) -> Rows:
    _ = ctx._
    code = filters.code()
    rows: list[tuple[Button, ...]] = [
        (Button(f"{first + i + 1}. {short(q.recommendation.title)}", f"p:i:{item.id}"),)
        for i, (item, q) in enumerate(chunk)
    ]
    nav: list[Button] = []
    if page > 0:
        nav.append(Button(_("◀ Précédentes"), f"p:l:{page - 1}:{code}"))
    if page < pages - 1:
        nav.append(Button(_("Suivantes ▶"), f"p:l:{page + 1}:{code}"))
    if nav:
        rows.append(tuple(nav))
    return (*rows, *filter_rows(ctx, filters))


async def pick_theme(ctx: Ctx, filters: Filters) -> None:
    _ = ctx._
    rows = [
        (Button(t.title, f"p:l:0:{filters.with_(theme=t.id).code()}"),)
        for t in ctx.ref.level_themes(1)
    ]
    rows.append((Button(_("Tous les thèmes"), f"p:l:0:{filters.with_(theme='-').code()}"),))
    ctx.say(_("Quel thème afficher ?"), tuple(rows), edit=True)


async def pick_priority(ctx: Ctx, filters: Filters) -> None:
    _ = ctx._
    rows = [
        (Button(ui.priority_label(ctx.tr, value), f"p:l:0:{filters.with_(priority=code).code()}"),)
        for code, value in PRIORITY_CODES.items()
    ]
    rows.append((Button(_("Toutes les priorités"), f"p:l:0:{filters.with_(priority='-').code()}"),))
    ctx.say(_("Quelle priorité afficher ?"), tuple(rows), edit=True)


async def pick_status(ctx: Ctx, filters: Filters) -> None:
    _ = ctx._
    rows = [
        (Button(_("Actions ouvertes"), f"p:l:0:{filters.with_(status='o').code()}"),),
        *(
            (
                Button(
                    status_label(ctx.tr, status),
                    f"p:l:0:{filters.with_(status=CODE_OF_STATUS[status]).code()}",
                ),
            )
            for status in STATUSES
        ),
        (Button(_("Tous les statuts"), f"p:l:0:{filters.with_(status='a').code()}"),),
    ]
    ctx.say(_("Quel statut afficher ?"), tuple(rows), edit=True)


@router.command("plan", "actions")
async def plan_command(ctx: Ctx, event: Event) -> None:
    await show_plan(ctx, page=0)


async def _list(ctx: Ctx, args: list[str]) -> None:
    page = int(args[0]) if args and args[0].isdigit() else 0
    code = args[1] if len(args) > 1 else ""
    await show_plan(ctx, Filters.parse(code, ctx.ref), page, edit=True)


async def _picker(ctx: Ctx, action: str, args: list[str]) -> None:
    if await require_member(ctx) is None:
        return
    filters = Filters.parse(args[0] if args else "", ctx.ref)
    await {"ft": pick_theme, "fp": pick_priority, "fs": pick_status}[action](ctx, filters)


ItemHandler = Callable[[Ctx, list[str]], Awaitable[None]]

ITEM_ACTIONS: dict[str, ItemHandler] = {
    "i": plan_items.open_item,
    "s": plan_items.set_status,
    "a": plan_people.pick_assignee,
    "am": plan_people.assign,
    "d": plan_due.pick_due,
    "dd": plan_due.set_due_pick,
    "r": plan_items.resources,
    "h": plan_items.history,
    "y": plan_close.confirm_answer,
    "n": plan_close.keep_answer,
    "u": plan_items.unmute,
}


@router.button("p")
async def plan_button(ctx: Ctx, event: Event) -> None:
    args = button_args(event.data)
    action, rest = (args[0], args[1:]) if args else ("l", [])
    if action == "l":
        await _list(ctx, rest)
    elif action in ("ft", "fp", "fs"):
        await _picker(ctx, action, rest)
    elif action in ITEM_ACTIONS:
        await ITEM_ACTIONS[action](ctx, rest)
    else:
        from dialogs.general import stale_button

        await stale_button(ctx, event)
