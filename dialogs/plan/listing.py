"""/plan: the action plan, ordered by priority then theme, paged for a phone, filtered by buttons.

Filters travel in the button data as `Filters.code()` ("GOV.p.o.m"); the page and filters last shown
are kept in the conversation state, so an item's « ← Retour au plan » goes back where it came from.
"""

from __future__ import annotations

from dialogs import ui
from dialogs.access import require_member
from dialogs.context import Ctx
from dialogs.documents.buttons import DocumentsMenu
from dialogs.events import Event
from dialogs.plan.buttons import (
    AddStart,
    ItemButton,
    PlanPage,
    PriorityPicker,
    StatusCode,
    StatusPicker,
    ThemePicker,
)
from dialogs.plan.cards import local_today
from dialogs.plan.entries import item_number, item_title, ordered
from dialogs.plan.sync import ensure_items
from dialogs.plan.view import PRIORITY_CODES, Filters, item_line, status_label
from dialogs.questionnaire.buttons import QuestionnaireMenu
from dialogs.records import ActionItemInfo, ItemStatus
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.target.buttons import TargetMenu
from dialogs.ui import button

router = Router()

PAGE_SIZE = 6
MAX_TEXT = 3900  # under Telegram's 4 096 characters, with room for the channel's escaping
BUTTON_ALONE = 28  # a button alone on its row: at most 28 characters on a phone
BUTTON_IN_ROW = 20  # a button sharing its row


def short(text: str, size: int = BUTTON_ALONE) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def to_page(filters: Filters, page: int = 0) -> PlanPage:
    return PlanPage(page, filters.code())


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
        words.append(status_label(ctx.tr, StatusCode(filters.status).status))
    if filters.mine:
        words.append(_("mes actions"))
    return ", ".join(words) if words else _("toutes les actions")


def counts_line(ctx: Ctx, items: list[ActionItemInfo]) -> str:
    counts = {status: 0 for status in ItemStatus}
    for item in items:
        counts[item.status] += 1
    return " · ".join(
        f"{status_label(ctx.tr, status)} {counts[status]}"
        for status in ItemStatus
        if counts[status]
    )


def filter_rows(ctx: Ctx, filters: Filters) -> Keyboard:
    _ = ctx._
    code = filters.code()
    rows: list[tuple[Button, ...]] = [
        (
            button(_("Thème"), ThemePicker(code)),
            button(_("Priorité"), PriorityPicker(code)),
            button(_("Statut"), StatusPicker(code)),
        ),
        (
            button(
                _("Toute l’équipe") if filters.mine else _("Mes actions"),
                to_page(filters.with_(mine=not filters.mine)),
            ),
        ),
    ]
    if not filters.is_default:
        rows[-1] += (button(_("Effacer les filtres"), to_page(Filters())),)
    rows.append((button(_("➕ Ajouter une action"), AddStart()),))
    rows.append((button(_("Cible"), TargetMenu()), button(_("Documents"), DocumentsMenu())))
    return tuple(rows)


def show_plan(
    ctx: Ctx, filters: Filters | None = None, page: int = 0, *, edit: bool = False
) -> None:
    """The list screen; `edit` replaces the message that carried the pressed button."""
    member = require_member(ctx)
    if member is None:
        return
    _ = ctx._
    if filters is None:
        saved = ctx.state.get("plan")
        filters = (
            Filters.parse(str(saved.get("f", "")), ctx.ref)
            if isinstance(saved, dict)
            else Filters()
        )
    answers = ctx.store.answers.of(member.collectivite.id)
    items = ensure_items(ctx, member.collectivite.id, answers)
    if not items:
        ctx.say(
            _(
                "Votre plan d’actions est vide : aucune réponse « non » ou « je ne sais pas » pour l’instant."
            ),
            (
                (button(_("▶ Questionnaire"), QuestionnaireMenu()),),
                (button(_("➕ Ajouter une action"), AddStart()),),
            ),
            edit=edit,
        )
        return
    shown = [
        item
        for item in ordered(ctx.ref, items, answers)
        if filters.keeps(item, ctx.ref, ctx.user.id, answers)
    ]
    current = ui.paginate(shown, page, PAGE_SIZE)
    ctx.state["plan"] = {"f": filters.code(), "pg": current.number}
    heading = ctx.tr.ngettext(
        "Plan d’actions : {n} action sur {total} ({filters})",
        "Plan d’actions : {n} actions sur {total} ({filters})",
        len(shown),
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
    lines = [item_line(ctx.tr, ctx.ref, item, local_today(ctx), answers) for item in current.items]
    footer = _("Page {page}/{pages} · touchez une action pour la gérer.").format(
        page=current.number + 1, pages=current.count
    )
    text = "\n".join([*header, "", *lines, "", footer])
    if len(text) > MAX_TEXT:  # cannot happen with referential limits; never send an over-long one
        text = text[: MAX_TEXT - 1] + "…"
    ctx.say(text, list_rows(ctx, current, filters), edit=edit)


def list_rows(ctx: Ctx, current: ui.Page[ActionItemInfo], filters: Filters) -> Keyboard:
    rows: list[tuple[Button, ...]] = []
    for item in current.items:
        number = f"{item_number(item, ctx.ref)}. "  # the stable number, as in the text
        label = number + short(item_title(item, ctx.ref), BUTTON_ALONE - len(number))
        rows.append((button(label, ItemButton(item.id)),))
    nav = ui.page_nav(ctx.tr, current, lambda n: to_page(filters, n))
    if nav:
        rows.append(nav)
    return (*rows, *filter_rows(ctx, filters))


@router.command("plan", "actions")
def plan_command(ctx: Ctx, event: Event) -> None:
    show_plan(ctx, page=0)


@router.button(PlanPage)
def plan_page(ctx: Ctx, event: Event, data: PlanPage) -> None:
    show_plan(ctx, Filters.parse(data.filters, ctx.ref), data.page, edit=True)


@router.button(ThemePicker)
def pick_theme(ctx: Ctx, event: Event, data: ThemePicker) -> None:
    if require_member(ctx) is None:
        return
    _ = ctx._
    filters = Filters.parse(data.filters, ctx.ref)
    rows = [
        (button(short(t.title), to_page(filters.with_(theme=t.id))),)
        for t in ctx.ref.level_themes(1)
    ]
    rows.append((button(_("Tous les thèmes"), to_page(filters.with_(theme="-"))),))
    ctx.say(_("Quel thème afficher ?"), tuple(rows), edit=True)


@router.button(PriorityPicker)
def pick_priority(ctx: Ctx, event: Event, data: PriorityPicker) -> None:
    if require_member(ctx) is None:
        return
    _ = ctx._
    filters = Filters.parse(data.filters, ctx.ref)
    rows = [
        (button(ui.priority_label(ctx.tr, value), to_page(filters.with_(priority=code))),)
        for code, value in PRIORITY_CODES.items()
    ]
    rows.append((button(_("Toutes les priorités"), to_page(filters.with_(priority="-"))),))
    ctx.say(_("Quelle priorité afficher ?"), tuple(rows), edit=True)


@router.button(StatusPicker)
def pick_status(ctx: Ctx, event: Event, data: StatusPicker) -> None:
    if require_member(ctx) is None:
        return
    _ = ctx._
    filters = Filters.parse(data.filters, ctx.ref)
    rows = [
        (button(_("Actions ouvertes"), to_page(filters.with_(status="o"))),),
        *(
            (
                button(
                    status_label(ctx.tr, status),
                    to_page(filters.with_(status=StatusCode.of(status).value)),
                ),
            )
            for status in ItemStatus
        ),
        (button(_("Tous les statuts"), to_page(filters.with_(status="a"))),),
    ]
    ctx.say(_("Quel statut afficher ?"), tuple(rows), edit=True)
