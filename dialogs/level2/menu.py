"""/niveau2's screens around the questions: who answers for which collectivité, the sub-theme menu
with progress, and a section's questions with their answers (any of them can be opened again)."""

from __future__ import annotations

from collections.abc import Callable

from dialogs import access, ui
from dialogs.callbacks import CallbackData
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import normalize_locale
from dialogs.level2.buttons import (
    IndicatorsButton,
    Level2Ask,
    Level2Menu,
    Level2Resume,
    Level2Section,
)
from dialogs.level2.content import progress_of, section
from dialogs.level2.render import ALONE_LABEL, ROW_LABEL, answer_text, fit
from dialogs.level2.speaker import Answering, answering_for, as_referent_line, locked_text
from dialogs.replies import Button
from dialogs.router import Router

router = Router()

MAX_FOLLOWED = 30
NUMBERS_PER_ROW = 5


def level2_entry(ctx: Ctx) -> None:
    """/niveau2: a member of an accompanied collectivité gets its menu; a referent picks the
    collectivité to answer for; anyone else is told how level 2 opens."""
    pick_collectivite(ctx, Level2Menu, lambda who: show_menu(ctx, who))


def pick_collectivite(
    ctx: Ctx, family: Callable[[int], CallbackData], show: Callable[[Answering], None]
) -> None:
    """Show the speaker's own collectivité, or let a referent pick one it accompanies."""
    member = ctx.member()
    if member is not None:
        if access.level2_available(member):
            show(Answering(member.collectivite))
        else:
            ctx.say(locked_text(ctx, member.collectivite.name))
        return
    opsns = access.referent_of(ctx)
    if not opsns:
        access.require_member(ctx)  # says how to register
        return
    rows: list[tuple[Button, ...]] = []
    for opsn in opsns:
        for _attachment, status in ctx.store.opsn.followed(opsn.id):
            c = status.collectivite
            if c.level2_enabled and len(rows) < MAX_FOLLOWED:
                rows.append((ui.button(fit(c.name, ALONE_LABEL), family(c.id)),))
    if not rows:
        ctx.say(ctx._("Vous n’accompagnez encore aucune collectivité (voir /collectivites)."))
        return
    ctx.say(
        ctx._(
            "Pour quelle collectivité répondez-vous ? Chaque réponse est enregistrée à votre nom, "
            "en tant que référent de l’OPSN."
        ),
        tuple(rows),
    )


def show_menu(ctx: Ctx, who: Answering, *, edit: bool = False) -> None:
    _ = ctx._
    answers = ctx.store.answers.of(who.cid)
    parts = progress_of(ctx.ref, answers)
    answered = sum(p.answered for p in parts)
    total = sum(len(p.shown) for p in parts)
    percent = (200 * answered + total) // (2 * total) if total else 0
    text = _("Niveau 2 — {name} : {answered}/{total} questions ({percent}).").format(
        name=who.collectivite.name,
        answered=answered,
        total=total,
        percent=ctx.tr.percent(percent),
    )
    if line := as_referent_line(ctx, who):
        text += "\n" + line
    untranslated = any(not ctx.ref.is_translated(q.id) for p in parts for q in p.shown)
    if (
        normalize_locale(ctx.locale) != "fr" and untranslated
    ):  # only level 1 has an English version so far
        text += "\n" + _("Les questions du niveau 2 n’existent qu’en français pour l’instant.")
    text += "\n\n" + "\n".join(
        f"{'✓' if p.done else '•'} {p.section.title} : {p.answered}/{len(p.shown)}" for p in parts
    )
    rows: list[tuple[Button, ...]] = []
    if answered < total:
        rows.append((ui.button(_("▶ Reprendre"), Level2Resume(who.cid)),))
    for p in parts:
        suffix = f" {p.answered}/{len(p.shown)}"
        label = fit(p.section.title, ALONE_LABEL - len(suffix)) + suffix
        rows.append((ui.button(label, Level2Section(who.cid, p.section.id)),))
    rows.append((ui.button(_("📊 Indicateurs"), IndicatorsButton(who.cid)),))
    ctx.say(text, tuple(rows), edit=edit)


def show_section(ctx: Ctx, who: Answering, section_id: str) -> None:
    _ = ctx._
    part = section(ctx.ref, section_id)
    if part is None:
        ctx.toast(_("Cette partie n’existe plus."))
        show_menu(ctx, who)
        return
    answers = ctx.store.answers.of(who.cid)
    progress = next(p for p in progress_of(ctx.ref, answers) if p.section.id == part.id)
    lines = [
        f"{n}. {q.text}\n   → {answer_text(ctx.tr, q, answers.get(q.id))}"
        for n, q in enumerate(progress.shown, 1)
    ]
    text = _("Niveau 2 · {section} : {answered}/{total} réponses.").format(
        section=part.title, answered=progress.answered, total=len(progress.shown)
    )
    text += "\n\n" + "\n".join(lines)
    text += "\n\n" + _("Touchez un numéro pour répondre ou changer une réponse.")
    rows: list[tuple[Button, ...]] = []
    first = next((q for q in progress.shown if q.id not in answers), None)
    if first is not None:
        rows.append((ui.button(_("▶ Continuer"), Level2Ask(who.cid, first.id)),))
    numbers = [
        ui.button(fit(str(n), ROW_LABEL), Level2Ask(who.cid, q.id))
        for n, q in enumerate(progress.shown, 1)
    ]
    rows.extend(
        tuple(numbers[i : i + NUMBERS_PER_ROW]) for i in range(0, len(numbers), NUMBERS_PER_ROW)
    )
    rows.append((ui.button(_("☰ Sommaire"), Level2Menu(who.cid)),))
    ctx.say(text, tuple(rows))


@router.button(Level2Menu)
def menu_button(ctx: Ctx, event: Event, data: Level2Menu) -> None:
    who = answering_for(ctx, data.cid)
    if who is not None:
        show_menu(ctx, who)


@router.button(Level2Section)
def section_button(ctx: Ctx, event: Event, data: Level2Section) -> None:
    who = answering_for(ctx, data.cid)
    if who is not None:
        show_section(ctx, who, data.section)
