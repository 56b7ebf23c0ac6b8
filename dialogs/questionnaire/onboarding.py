"""Registering a collectivité: SIRET → type → name → département → population → confirmation.

One SIRET is one collectivité: a known SIRET never creates a duplicate; it sends a join request to the
collectivité's administrators instead. Prompts and checks live in dialogs.questionnaire.registration;
this module routes the buttons and the typed text.
"""

from __future__ import annotations

from typing import Any

from dialogs import ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.parsing import (
    DEPARTEMENTS,
    Intent,
    SiretProblem,
    parse_departement,
    parse_intent,
    read_siret,
)
from dialogs.questionnaire.buttons import (
    CancelOnboarding,
    ConfirmOnboarding,
    ConfirmSiret,
    DepartementPick,
    EditField,
    KindButton,
    StartOnboarding,
)
from dialogs.questionnaire.registration import (
    STEPS,
    ask,
    cancel_row,
    current_step,
    departement_problem_text,
    draft_of,
    name_problem_text,
    proceed,
    read_kind,
    read_name,
    request_to_join,
    siret_problem_text,
    take_departement,
    take_population,
    take_siret,
)
from dialogs.questionnaire.screens import start_questionnaire
from dialogs.records import NewCollectivite
from dialogs.router import Router
from dialogs.state import Flow, OnboardingStep, flow_of, set_flow

router = Router()


def begin(ctx: Ctx, *, another: bool = False) -> None:
    """Start a registration; a member starts one only when asking for another collectivité."""
    member = ctx.member()
    if member is not None and not another:
        ctx.say(
            ui.fmt(
                ctx._("Vous êtes déjà membre de {name}. Tapez /questionnaire pour continuer."),
                name=member.collectivite.name,
            )
        )
        return
    set_flow(ctx.state, Flow.ONBOARDING.value, draft={})
    ask(ctx, OnboardingStep.SIRET)


@router.button(StartOnboarding)
def start_button(ctx: Ctx, event: Event, data: StartOnboarding) -> None:
    begin(ctx, another=data.another)


@router.button(CancelOnboarding)
def cancel_button(ctx: Ctx, event: Event, data: CancelOnboarding) -> None:
    if flow_of(ctx.state) == Flow.ONBOARDING.value:
        set_flow(ctx.state, Flow.IDLE.value)
    ctx.say(
        ctx._("Inscription annulée. Rien n’a été enregistré. /start pour recommencer."), edit=True
    )


def _at_step(ctx: Ctx, step: OnboardingStep) -> bool:
    """True when the registration waits for `step`; otherwise say the button is out of date."""
    if flow_of(ctx.state) != Flow.ONBOARDING.value:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        ctx.say(ctx._("Cette inscription n’est plus en cours. /start pour recommencer."))
        return False
    if ctx.state.get("step") != step.value:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        ask(ctx, current_step(ctx))
        return False
    return True


@router.button(KindButton)
def kind_button(ctx: Ctx, event: Event, data: KindButton) -> None:
    if _at_step(ctx, OnboardingStep.KIND):
        draft_of(ctx)["kind"] = data.kind.value
        ctx.say(ui.fmt(ctx._("Type : {kind}"), kind=ui.kind_label(ctx.tr, data.kind)), edit=True)
        proceed(ctx, OnboardingStep.KIND)


@router.button(ConfirmOnboarding)
def confirm_button(ctx: Ctx, event: Event, data: ConfirmOnboarding) -> None:
    if _at_step(ctx, OnboardingStep.CONFIRM):
        confirm(ctx)


@router.button(ConfirmSiret)
def confirm_siret_button(ctx: Ctx, event: Event, data: ConfirmSiret) -> None:
    if not _at_step(ctx, OnboardingStep.SIRET):
        return
    pending = draft_of(ctx).get("pending_siret")
    if isinstance(pending, str):
        take_siret(ctx, pending, confirmed=True)
        return
    ctx.toast(ctx._("Ce bouton n’est plus valable."))
    ask(ctx, OnboardingStep.SIRET)


@router.button(DepartementPick)
def departement_button(ctx: Ctx, event: Event, data: DepartementPick) -> None:
    if not _at_step(ctx, OnboardingStep.DEPARTEMENT):
        return
    if data.code not in DEPARTEMENTS:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        ask(ctx, OnboardingStep.DEPARTEMENT)
        return
    take_departement(ctx, data.code, picked=True)


@router.button(EditField)
def edit_field_button(ctx: Ctx, event: Event, data: EditField) -> None:
    """Correct one field from the check (or the SIRET just questioned), then come back."""
    if flow_of(ctx.state) != Flow.ONBOARDING.value:
        _at_step(ctx, OnboardingStep.CONFIRM)  # says the registration is over
        return
    step = current_step(ctx)
    if data.step is OnboardingStep.CONFIRM or step not in (OnboardingStep.CONFIRM, data.step):
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        ask(ctx, step)
        return
    if step is OnboardingStep.CONFIRM:
        draft_of(ctx)["fix"] = True
    ask(ctx, data.step, edit=True)


def _typed_word(ctx: Ctx, step: OnboardingStep, text: str) -> bool:
    """« retour » goes one step back, « bonjour » asks the current step again; True if handled."""
    intent = parse_intent(text)
    if intent is Intent.BACK and step is not OnboardingStep.SIRET:
        draft_of(ctx).pop("fix", None)
        ask(ctx, STEPS[STEPS.index(step) - 1])
        return True
    if intent is Intent.HELLO:
        ask(ctx, step, note=ctx._("Bonjour ! Continuons l’inscription :"))
        return True
    return False


@router.flow(Flow.ONBOARDING.value)
def on_text(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    step = current_step(ctx)
    draft = draft_of(ctx)
    text = event.text.strip()
    if _typed_word(ctx, step, text):
        return
    if step is OnboardingStep.SIRET:
        found = read_siret(text)
        if isinstance(found, SiretProblem):
            ctx.say(siret_problem_text(ctx, found), (cancel_row(ctx),))
            return
        take_siret(ctx, found)
    elif step is OnboardingStep.KIND:
        match = read_kind(ctx, text)
        if match is None:
            ask(ctx, OnboardingStep.KIND)
            return
        draft["kind"] = match.value
        proceed(ctx, OnboardingStep.KIND)
    elif step is OnboardingStep.NAME:
        name = read_name(text)
        if name is None:
            ctx.say(name_problem_text(ctx), (cancel_row(ctx),))
            return
        draft["name"] = name
        proceed(ctx, OnboardingStep.NAME)
    elif step is OnboardingStep.DEPARTEMENT:
        dep = parse_departement(text)
        if dep is None:
            ctx.say(departement_problem_text(ctx), (cancel_row(ctx),))
            return
        take_departement(ctx, dep)
    elif step is OnboardingStep.POPULATION:
        take_population(ctx, text)
    else:
        ask(
            ctx,
            OnboardingStep.CONFIRM,
            note=_("Confirmez avec le bouton « Enregistrer », ou tapez /annuler."),
        )


def _draft_is_complete(draft: dict[str, Any]) -> bool:
    return all(key in draft for key in ("siret", "kind", "name", "departement", "population"))


def confirm(ctx: Ctx) -> None:
    draft = draft_of(ctx)
    if not _draft_is_complete(draft):
        ask(ctx, OnboardingStep.SIRET)
        return
    existing = ctx.store.people.find_collectivite_by_siret(draft["siret"])
    if existing is not None:  # registered by someone else meanwhile
        request_to_join(ctx, existing.id, existing.name)
        return
    created = ctx.store.people.create_collectivite(
        NewCollectivite(
            siret=draft["siret"],
            kind=draft["kind"],
            name=draft["name"],
            departement=draft["departement"],
            population=int(draft["population"]),
        ),
        ctx.user.id,
        ctx.now,
    )
    ctx.member(refresh=True)
    set_flow(ctx.state, Flow.IDLE.value)
    ctx.say(
        ui.fmt(
            ctx._("{name} est enregistrée, et vous en êtes administrateur ou administratrice."),
            name=created.name,
        ),
        edit=True,
    )
    start_questionnaire(ctx)
