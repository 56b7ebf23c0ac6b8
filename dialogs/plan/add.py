"""« ➕ Ajouter une action »: the team adds an action of its own, in six short steps.

Title (typed) → theme → priority → description (typed, or « Passer ») → who carries it (or « Plus
tard ») → due date (typed or picked, or « Plus tard ») → confirmation, where any field can be
corrected. The draft lives in the conversation state (dialogs.plan.draft); nothing is stored before
« Enregistrer », and a button of another draft, or pressed again once saved, never adds a second item.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs import ui
from dialogs.access import require_member
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.general import stale_button
from dialogs.parsing import fold
from dialogs.plan.assignees import mate_label, notify_assignee
from dialogs.plan.buttons import (
    AddAssignee,
    AddCancel,
    AddDue,
    AddEdit,
    AddPriority,
    AddReview,
    AddSave,
    AddSkip,
    AddStart,
    AddStep,
    AddTheme,
    PriorityCode,
)
from dialogs.plan.cards import back_to_list, local_today, show_item
from dialogs.plan.draft import (
    ADDED,
    DETAILS_MAX,
    KEY,
    REVIEW,
    STEPS,
    TITLE_MAX,
    TITLE_MIN,
    Draft,
    clean_details,
    clean_title,
    priority_of,
    summary,
)
from dialogs.plan.due import due_choices, parse_date_fr
from dialogs.plan.listing import short
from dialogs.records import ItemOrigin
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.ui import button

router = Router()

SKIP_WORDS = frozenset({"passer", "plus tard", "aucune", "aucun", "skip", "later", "none"})


def _save_state(ctx: Ctx, draft: Draft) -> None:
    set_flow(ctx.state, Flow.PLAN_ADD, **{KEY: draft.dump()}, plan=ctx.state.get("plan"))


def advance(ctx: Ctx, draft: Draft) -> None:
    """Keep the draft moved on to its next step and show that step in place."""
    _save_state(ctx, draft)
    ask(ctx, draft, edit=True)


def _cancel_row(ctx: Ctx, draft: Draft) -> tuple[Button, ...]:
    if draft.fixing:
        return (button(ctx._("← Retour"), AddReview(draft.number)),)
    return (button(ctx._("Annuler"), AddCancel(draft.number)),)


def _step_number(step: AddStep) -> str:
    return f"({STEPS.index(step) + 1}/{len(STEPS)})"


def ask(ctx: Ctx, draft: Draft, *, edit: bool = False) -> None:
    """Say the prompt of the draft's current step (or the confirmation screen)."""
    _ = ctx._
    n = draft.number
    if draft.step == REVIEW:
        review(ctx, draft, edit=edit)
        return
    step = AddStep(draft.step)
    head = _step_number(step)
    rows: list[tuple[Button, ...]] = []
    if step is AddStep.TITLE:
        text = _(
            "{step} Nouvelle action de l’équipe. Tapez son titre en quelques mots "
            "({min} à {max} caractères), ou /annuler."
        ).format(step=head, min=TITLE_MIN, max=TITLE_MAX)
    elif step is AddStep.THEME:
        text = _("{step} Dans quel thème ?").format(step=head)
        rows += [(button(short(t.title), AddTheme(n, t.id)),) for t in ctx.ref.level_themes(1)]
    elif step is AddStep.PRIORITY:
        text = _("{step} Quelle priorité ?").format(step=head)
        rows += [
            (button(ui.priority_label(ctx.tr, priority_of(code).value), AddPriority(n, code)),)
            for code in PriorityCode
        ]
    elif step is AddStep.DETAILS:
        text = _(
            "{step} Une description ? Tapez-la ({max} caractères au plus), ou touchez « Passer »."
        ).format(step=head, max=DETAILS_MAX)
        rows.append((button(_("Passer"), AddSkip(n, step)),))
    elif step is AddStep.ASSIGNEE:
        text = _("{step} Qui porte cette action ?").format(step=head)
        member = ctx.member()
        mates = ctx.store.people.members(member.collectivite.id) if member else []
        rows += [
            (button(short(mate_label(ctx, mate, draft.assignee_id)), AddAssignee(n, mate.user_id)),)
            for mate in mates
        ]
        rows.append((button(_("Plus tard"), AddSkip(n, step)),))
    else:
        text = _(
            "{step} Pour quand ? Tapez une date (par exemple 31/03/2027), choisissez-en une, "
            "ou touchez « Plus tard »."
        ).format(step=head)
        rows += [
            (button(ctx.tr.date(d, "d MMM yyyy"), AddDue(n, code)),)
            for code, d in due_choices(local_today(ctx)).items()
        ]
        rows.append((button(_("Plus tard"), AddSkip(n, step)),))
    rows.append(_cancel_row(ctx, draft))
    ctx.say(text, tuple(rows), edit=edit)


def review(ctx: Ctx, draft: Draft, *, edit: bool) -> None:
    _ = ctx._
    name = None
    if draft.assignee_id is not None:
        member = ctx.member()
        mates = ctx.store.people.members(member.collectivite.id) if member else []
        name = next((m.display_name for m in mates if m.user_id == draft.assignee_id), None)
    day = ctx.tr.date(draft.due) if draft.due else ""
    rows: Keyboard = (
        (
            button(_("Enregistrer"), AddSave(draft.number)),
            button(_("Annuler"), AddCancel(draft.number)),
        ),
        (button(_("Corriger"), AddEdit(draft.number)),),
    )
    ctx.say(summary(ctx.tr, ctx.ref, draft, name, day), rows, edit=edit)


def current(ctx: Ctx, event: Event, number: int, *steps: str) -> Draft | None:
    """The draft a button is about, if it is the live one and at one of `steps`; else the stale
    reply (an older draft's button, or one already saved or cancelled)."""
    if require_member(ctx) is None:
        return None
    draft = Draft.load(ctx.state)
    if draft is None or draft.number != number or (steps and draft.step not in steps):
        stale_button(ctx, event)
        return None
    return draft


@router.button(AddStart)
def start(ctx: Ctx, event: Event, data: AddStart) -> None:
    if require_member(ctx) is None:
        return
    draft = Draft.new(ctx.now)
    _save_state(ctx, draft)
    ask(ctx, draft)


@router.flow(Flow.PLAN_ADD)
def typed(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if require_member(ctx) is None:
        set_flow(ctx.state, Flow.IDLE)
        return
    draft = Draft.load(ctx.state)
    if draft is None:  # a state written by another version: start again cleanly
        set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"))
        ctx.say(_("Reprenons : touchez « ➕ Ajouter une action » dans /plan."))
        return
    text = event.text
    if draft.step == AddStep.TITLE:
        title, error = clean_title(text)
        if title is None:
            ctx.say(
                _("Ce titre est trop court : {min} caractères au moins.").format(min=TITLE_MIN)
                if error == "short"
                else _("Ce titre est trop long : {max} caractères au plus (ici {n}).").format(
                    max=TITLE_MAX, n=len(" ".join(text.split()))
                )
            )
            return
        draft = draft.after(AddStep.TITLE, title=title)
    elif draft.step == AddStep.DETAILS:
        if fold(text) in SKIP_WORDS:
            draft = draft.after(AddStep.DETAILS, details=None)
        else:
            details, error = clean_details(text)
            if details is None:
                ctx.say(
                    _("Cette description est trop longue : {max} caractères au plus.").format(
                        max=DETAILS_MAX
                    )
                    if error == "long"
                    else _("Tapez une description, ou touchez « Passer »."),
                )
                return
            draft = draft.after(AddStep.DETAILS, details=details)
    elif draft.step == AddStep.DUE:
        if fold(text) in SKIP_WORDS:
            draft = draft.after(AddStep.DUE, due=None)
        else:
            value, error = parse_date_fr(text, local_today(ctx))
            if value is None:
                ctx.say(
                    {
                        "past": _("Cette date est déjà passée : choisissez une date à venir."),
                        "far": _("Cette date est trop lointaine : cinq ans au plus."),
                    }.get(
                        error,
                        _(
                            "Je n’ai pas reconnu de date. Tapez par exemple 31/03/2027, "
                            "31 mars 2027 ou fin mars, ou touchez « Plus tard »."
                        ),
                    )
                )
                return
            draft = draft.after(AddStep.DUE, due=value)
    else:  # a step answered with buttons (or the confirmation screen)
        ctx.say(_("Choisissez avec les boutons, ou /annuler pour abandonner."))
        ask(ctx, draft)
        return
    _save_state(ctx, draft)
    ask(ctx, draft)


@router.button(AddTheme)
def pick_theme(ctx: Ctx, event: Event, data: AddTheme) -> None:
    draft = current(ctx, event, data.draft, AddStep.THEME)
    if draft is None:
        return
    if data.theme not in {t.id for t in ctx.ref.level_themes(1)}:
        stale_button(ctx, event)
        return
    advance(ctx, draft.after(AddStep.THEME, theme=data.theme))


@router.button(AddPriority)
def pick_priority(ctx: Ctx, event: Event, data: AddPriority) -> None:
    draft = current(ctx, event, data.draft, AddStep.PRIORITY)
    if draft is None:
        return
    advance(ctx, draft.after(AddStep.PRIORITY, priority=data.code))


@router.button(AddSkip)
def skip(ctx: Ctx, event: Event, data: AddSkip) -> None:
    optional = {AddStep.DETAILS: "details", AddStep.ASSIGNEE: "assignee_id", AddStep.DUE: "due"}
    draft = current(ctx, event, data.draft, data.step)
    if draft is None:
        return
    if data.step not in optional:  # a forged « Passer » on a required step
        stale_button(ctx, event)
        return
    advance(ctx, draft.after(data.step, **{optional[data.step]: None}))


@router.button(AddAssignee)
def pick_assignee(ctx: Ctx, event: Event, data: AddAssignee) -> None:
    draft = current(ctx, event, data.draft, AddStep.ASSIGNEE)
    member = ctx.member()
    if draft is None or member is None:
        return
    if data.user_id not in {m.user_id for m in ctx.store.people.members(member.collectivite.id)}:
        ctx.toast(ctx._("Personne inconnue."))
        ask(ctx, draft, edit=True)
        return
    advance(ctx, draft.after(AddStep.ASSIGNEE, assignee_id=data.user_id))


@router.button(AddDue)
def pick_due(ctx: Ctx, event: Event, data: AddDue) -> None:
    draft = current(ctx, event, data.draft, AddStep.DUE)
    if draft is None:
        return
    choices = due_choices(local_today(ctx))
    if data.code not in choices:  # « type a date » or « remove » are not offered here
        stale_button(ctx, event)
        return
    advance(ctx, draft.after(AddStep.DUE, due=choices[data.code]))


@router.button(AddEdit)
def edit(ctx: Ctx, event: Event, data: AddEdit) -> None:
    draft = current(ctx, event, data.draft, REVIEW)
    if draft is None:
        return
    _ = ctx._
    if data.step is None:
        names = {
            AddStep.TITLE: _("Titre"),
            AddStep.THEME: _("Thème"),
            AddStep.PRIORITY: _("Priorité"),
            AddStep.DETAILS: _("Description"),
            AddStep.ASSIGNEE: _("Personne en charge"),
            AddStep.DUE: _("Échéance"),
        }
        rows = [(button(names[s], AddEdit(draft.number, s)),) for s in STEPS]
        rows.append((button(_("← Retour"), AddReview(draft.number)),))
        ctx.say(_("Que voulez-vous corriger ?"), tuple(rows), edit=True)
        return
    draft = replace(draft, step=data.step.value, fixing=True)
    _save_state(ctx, draft)
    ask(ctx, draft, edit=True)


@router.button(AddReview)
def back_to_review(ctx: Ctx, event: Event, data: AddReview) -> None:
    draft = current(ctx, event, data.draft)
    if draft is None:
        return
    draft = replace(draft, step=REVIEW, fixing=False)
    _save_state(ctx, draft)
    review(ctx, draft, edit=True)


@router.button(AddCancel)
def cancel(ctx: Ctx, event: Event, data: AddCancel) -> None:
    if current(ctx, event, data.draft) is None:
        return
    set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"))
    ctx.say(
        ctx._("C’est annulé. Rien n’a été enregistré pour cette opération."),
        ((back_to_list(ctx),),),
        edit=True,
    )


@router.button(AddSave)
def save(ctx: Ctx, event: Event, data: AddSave) -> None:
    member = require_member(ctx)
    if member is None:
        return
    _ = ctx._
    added = ctx.state.get(ADDED)
    if isinstance(added, list) and added[:1] == [data.draft]:  # a second tap: already saved
        ctx.toast(_("Cette action est déjà enregistrée."))
        return
    draft = current(ctx, event, data.draft, REVIEW)
    if draft is None:
        return
    if not draft.complete or draft.priority is None or draft.title is None:
        ask(ctx, replace(draft, step=AddStep.TITLE.value, fixing=False))
        return
    team = {m.user_id for m in ctx.store.people.members(member.collectivite.id)}
    assignee = draft.assignee_id if draft.assignee_id in team else None
    item = ctx.store.plan.create_own_item(
        member.collectivite.id,
        origin=ItemOrigin.TEAM,
        title=draft.title,
        details=draft.details,
        theme_id=draft.theme,
        priority=ctx.ref.weights[priority_of(draft.priority)],
        due_date=draft.due,
        assignee_id=assignee,
        opsn_id=None,
        actor_id=ctx.user.id,
        now=ctx.now,
    )
    set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"), **{ADDED: [draft.number, item.id]})
    ctx.toast(_("Action ajoutée au plan."))
    show_item(ctx, item, edit=True)
    if assignee is not None and assignee != ctx.user.id:
        notify_assignee(ctx, item)
