"""/cible: the team picks a letter (or an index, « /cible 70 ») and a deadline; the assistant
answers with the fewest open actions that reach it. Changing or removing it is one tap."""

from __future__ import annotations

import re
from datetime import date

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.entries import plan_number
from dialogs.plan.schedule import add_months, end_of_month, today
from dialogs.records import MembershipInfo, TargetInfo
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.target.buttons import TargetClear, TargetLetter, TargetMenu, TargetSet
from dialogs.target.reach import grade_floor, path_to, target_index
from referential.scoring import score

router = Router()
DEADLINES = (6, 12, 24, 36)  # months
SHOWN_ACTIONS = 8  # the path's first actions listed in the message; the rest are counted


def target_words(ctx: Ctx, target: TargetInfo) -> str:
    _ = ctx._
    what = (
        _("lettre {grade}").format(grade=target.grade)
        if target.grade
        else _("indice {index}").format(index=target.index)
    )
    return _("{what} d’ici le {date}").format(what=what, date=ctx.tr.date(target.due_date, "long"))


def target_text(ctx: Ctx, member: MembershipInfo) -> str:
    _ = ctx._
    cid = member.collectivite.id
    answers = ctx.store.answers.of(cid)
    s = score(ctx.ref, answers)
    lines = [
        _("Indice actuel : {index}/100 · lettre {grade}.").format(index=s.index, grade=s.grade)
    ]
    target = ctx.store.roadmap.target(cid)
    if target is None:
        lines.append(_("Pas encore de cible. Choisissez la lettre à atteindre :"))
        return "\n".join(lines)
    wanted = target_index(ctx.ref, target)
    lines.insert(0, _("Votre cible : {target}.").format(target=target_words(ctx, target)))
    if s.index >= wanted:
        lines.append(_("Cible atteinte : bravo à toute l’équipe !"))
        return "\n".join(lines)
    path = path_to(ctx.ref, answers, wanted)
    if path.actions:
        lines.append(
            ctx.tr.ngettext(
                "Pour l’atteindre, il suffit de réaliser cette action :",
                "Pour l’atteindre, il suffit de réaliser ces {n} actions :",
                len(path.actions),
            ).format(n=len(path.actions))
        )
        for q in path.actions[:SHOWN_ACTIONS]:
            number = plan_number(ctx.ref, q.id)
            lines.append(f"• n° {number} — {q.advice().title}")
        if len(path.actions) > SHOWN_ACTIONS:
            lines.append(
                _("… et {n} autres (voir /plan).").format(n=len(path.actions) - SHOWN_ACTIONS)
            )
    if not path.reached:
        lines.append(
            _(
                "Les actions ouvertes ne suffisent pas : répondez aux questions restantes avec "
                "/questionnaire, de nouvelles actions peuvent s’ouvrir."
            )
        )
    return "\n".join(lines)


def letter_rows(ctx: Ctx, current: int) -> Keyboard:
    """Letters above the current index, E → A, in rows of at most four."""
    letters = sorted((g for g in ctx.ref.grades if g.min > current), key=lambda g: g.min)
    buttons = [
        ui.button(ctx._("Lettre {grade}").format(grade=g.letter), TargetLetter(grade=g.letter))
        for g in letters
    ]
    return tuple(tuple(buttons[i : i + 4]) for i in range(0, len(buttons), 4))


def show_target(ctx: Ctx, member: MembershipInfo, *, edit: bool) -> None:
    _ = ctx._
    answers = ctx.store.answers.of(member.collectivite.id)
    rows = list(letter_rows(ctx, score(ctx.ref, answers).index))
    if ctx.store.roadmap.target(member.collectivite.id) is not None:
        rows.append((ui.button(_("Supprimer la cible"), TargetClear()),))
    text = target_text(ctx, member)
    if len(rows) == 0:
        text += "\n" + _(
            "Vous avez la meilleure lettre : tapez par exemple /cible 90 pour viser un indice."
        )
    else:
        text += "\n" + _("Pour viser un indice plutôt qu’une lettre, tapez par exemple /cible 70.")
    ctx.say(text, tuple(rows), edit=edit)


@router.command("cible", "target")
def target_command(ctx: Ctx, event: Event) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    typed = event.text.strip()
    if not typed:
        show_target(ctx, member, edit=False)
        return
    digits = re.fullmatch(r"\s*([0-9]{1,3})\s*(/\s*100)?\s*", typed)
    index = int(digits.group(1)) if digits else 0
    if not 1 <= index <= 100:
        ctx.say(
            ctx._("« {text} » n’est pas un indice entre 1 et 100. Exemple : /cible 70").format(
                text=typed[:40]
            )
        )
        return
    ask_deadline(ctx, TargetLetter(index=index), edit=False)


@router.button(TargetMenu)
def target_menu(ctx: Ctx, event: Event, data: TargetMenu) -> None:
    member = access.require_member(ctx)
    if member is not None:
        show_target(ctx, member, edit=True)


def _valid(ctx: Ctx, grade: str, index: int) -> bool:
    if grade:
        return index == 0 and grade_floor(ctx.ref, grade) is not None
    return 1 <= index <= 100


@router.button(TargetLetter)
def pick_letter(ctx: Ctx, event: Event, data: TargetLetter) -> None:
    if access.require_member(ctx) is None:
        return
    if not _valid(ctx, data.grade, data.index):
        ctx.say(ctx._("Ce bouton n’est plus valable. Tapez /cible pour recommencer."))
        return
    ask_deadline(ctx, data, edit=True)


def deadline(ctx: Ctx, months: int) -> date:
    return end_of_month(add_months(today(ctx.now, ctx.config.timezone), months))


def ask_deadline(ctx: Ctx, chosen: TargetLetter, *, edit: bool) -> None:
    _ = ctx._
    what = (
        _("lettre {grade}").format(grade=chosen.grade)
        if chosen.grade
        else _("indice {index}").format(index=chosen.index)
    )
    labels = {6: _("Dans 6 mois"), 12: _("Dans 1 an"), 24: _("Dans 2 ans"), 36: _("Dans 3 ans")}
    buttons: list[Button] = [
        ui.button(labels[m], TargetSet(grade=chosen.grade, index=chosen.index, months=m))
        for m in DEADLINES
    ]
    ctx.say(
        _("Cible : {what}. Pour quand ?").format(what=what),
        (tuple(buttons[:2]), tuple(buttons[2:]), (ui.button(_("Retour"), TargetMenu()),)),
        edit=edit,
    )


@router.button(TargetSet)
def set_target(ctx: Ctx, event: Event, data: TargetSet) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    if not _valid(ctx, data.grade, data.index) or data.months not in DEADLINES:
        ctx.say(ctx._("Ce bouton n’est plus valable. Tapez /cible pour recommencer."))
        return
    ctx.store.roadmap.set_target(
        member.collectivite.id,
        grade=data.grade or None,
        index=None if data.grade else data.index,
        due_date=deadline(ctx, data.months),
        user_id=ctx.user.id,
        now=ctx.now,
    )
    ctx.toast(ctx._("Cible enregistrée."))
    show_target(ctx, member, edit=True)


@router.button(TargetClear)
def clear_target(ctx: Ctx, event: Event, data: TargetClear) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    if ctx.store.roadmap.clear_target(member.collectivite.id):
        ctx.toast(ctx._("Cible supprimée."))
    show_target(ctx, member, edit=True)
