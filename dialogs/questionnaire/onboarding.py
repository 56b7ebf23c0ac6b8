"""Registering a collectivité: SIRET → type → name → département → population → confirmation.

One SIRET is one collectivité: a known SIRET never creates a duplicate; it sends a join request to the
collectivité's administrators instead.
"""

from __future__ import annotations

from typing import Any

from dialogs import ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.parsing import KINDS, parse_departement, parse_population, parse_siret
from dialogs.questionnaire.buttons import (
    CancelOnboarding,
    ConfirmOnboarding,
    KindButton,
    StartOnboarding,
)
from dialogs.questionnaire.screens import start_questionnaire
from dialogs.records import NewCollectivite, Role
from dialogs.replies import Button, Reply
from dialogs.router import Router
from dialogs.state import Flow, OnboardingStep, flow_of, set_flow
from dialogs.team.buttons import JoinAccept, JoinRefuse

router = Router()

# A kind may be typed by its number in the list ("1" is a commune).
_KIND_NUMBERS = {str(number): kind for number, kind in enumerate(KINDS, 1)}


def _current_step(ctx: Ctx) -> OnboardingStep:
    value = ctx.state.get("step")
    return (
        OnboardingStep(value)
        if isinstance(value, str) and value in OnboardingStep._value2member_map_
        else OnboardingStep.SIRET
    )


def _draft(ctx: Ctx) -> dict[str, Any]:
    draft = ctx.state.get("draft")
    if not isinstance(draft, dict):
        draft = {}
        ctx.state["draft"] = draft
    return draft


def _cancel_row(ctx: Ctx) -> tuple[Button, ...]:
    return (ui.button(ctx._("Annuler"), CancelOnboarding()),)


def ask(ctx: Ctx, step: OnboardingStep) -> None:
    """Move to `step` and ask its question."""
    _ = ctx._
    ctx.state["step"] = step.value
    if step is OnboardingStep.SIRET:
        ctx.say(
            _(
                "Quel est le numéro SIRET de votre collectivité ? (14 chiffres, par exemple 213 100 557 00019)\n"
                "Vous le trouverez sur annuaire-entreprises.data.gouv.fr ou sur une facture."
            ),
            (_cancel_row(ctx),),
        )
    elif step is OnboardingStep.KIND:
        ctx.say(
            _("Quel type de collectivité ?"),
            (
                *((ui.button(ui.kind_label(ctx.tr, kind), KindButton(kind)),) for kind in KINDS),
                _cancel_row(ctx),
            ),
        )
    elif step is OnboardingStep.NAME:
        ctx.say(_("Quel est son nom ? (par exemple : Commune de Beauvoir)"), (_cancel_row(ctx),))
    elif step is OnboardingStep.DEPARTEMENT:
        ctx.say(
            _("Dans quel département ? Tapez son numéro (par exemple 60, 2A ou 974)."),
            (_cancel_row(ctx),),
        )
    elif step is OnboardingStep.POPULATION:
        ctx.say(_("Combien d’habitants ? (un nombre, par exemple 1250)"), (_cancel_row(ctx),))
    else:
        draft = _draft(ctx)
        ctx.say(
            _(
                "Vérifiez avant d’enregistrer :\n"
                "SIRET : {siret}\nType : {kind}\nNom : {name}\nDépartement : {dep}\nPopulation : {pop} habitants"
            ).format(
                siret=draft.get("siret", ""),
                kind=ui.kind_label(ctx.tr, str(draft.get("kind", ""))),
                name=draft.get("name", ""),
                dep=draft.get("departement", ""),
                pop=ctx.tr.number(int(draft.get("population", 0))),
            ),
            (
                (
                    ui.button(_("✅ Enregistrer"), ConfirmOnboarding()),
                    ui.button(_("✏️ Recommencer"), StartOnboarding()),
                ),
                _cancel_row(ctx),
            ),
        )


def begin(ctx: Ctx) -> None:
    member = ctx.member()
    if member is not None:
        ctx.say(
            ctx._("Vous êtes déjà membre de {name}. Tapez /questionnaire pour continuer.").format(
                name=member.collectivite.name
            )
        )
        return
    set_flow(ctx.state, Flow.ONBOARDING.value, draft={})
    ask(ctx, OnboardingStep.SIRET)


@router.button(StartOnboarding)
def start_button(ctx: Ctx, event: Event, data: StartOnboarding) -> None:
    begin(ctx)


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
        ask(ctx, _current_step(ctx))
        return False
    return True


@router.button(KindButton)
def kind_button(ctx: Ctx, event: Event, data: KindButton) -> None:
    if _at_step(ctx, OnboardingStep.KIND):
        _draft(ctx)["kind"] = data.kind.value
        ctx.say(ctx._("Type : {kind}").format(kind=ui.kind_label(ctx.tr, data.kind)), edit=True)
        ask(ctx, OnboardingStep.NAME)


@router.button(ConfirmOnboarding)
def confirm_button(ctx: Ctx, event: Event, data: ConfirmOnboarding) -> None:
    if _at_step(ctx, OnboardingStep.CONFIRM):
        confirm(ctx)


@router.flow(Flow.ONBOARDING.value)
def on_text(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    step = _current_step(ctx)
    draft = _draft(ctx)
    text = event.text.strip()
    if step is OnboardingStep.SIRET:
        siret = parse_siret(text)
        if siret is None:
            ctx.say(
                _(
                    "Ce numéro n’est pas un SIRET valide : il faut 14 chiffres, et le dernier sert de clé de "
                    "contrôle. Vérifiez-le et tapez-le à nouveau."
                ),
                (_cancel_row(ctx),),
            )
            return
        existing = ctx.store.people.find_collectivite_by_siret(siret)
        if existing is not None:
            request_to_join(ctx, existing.id, existing.name)
            return
        draft["siret"] = siret
        ask(ctx, OnboardingStep.KIND)
    elif step is OnboardingStep.KIND:
        folded = text.lower()
        match = next(
            (code for code in KINDS if folded in (code, ui.kind_label(ctx.tr, code).lower())), None
        )
        if match is None and folded in _KIND_NUMBERS:
            match = _KIND_NUMBERS[folded]
        if match is None:
            ask(ctx, OnboardingStep.KIND)
            return
        draft["kind"] = match.value
        ask(ctx, OnboardingStep.NAME)
    elif step is OnboardingStep.NAME:
        name = " ".join(text.split())
        if not 2 <= len(name) <= 200 or not any(c.isalpha() for c in name):
            ctx.say(
                _("Le nom doit compter entre 2 et 200 caractères, avec des lettres."),
                (_cancel_row(ctx),),
            )
            return
        draft["name"] = name
        ask(ctx, OnboardingStep.DEPARTEMENT)
    elif step is OnboardingStep.DEPARTEMENT:
        dep = parse_departement(text)
        if dep is None:
            ctx.say(
                _(
                    "Je ne connais pas ce département. Tapez un numéro de 01 à 95, 2A, 2B ou de 971 à 976."
                ),
                (_cancel_row(ctx),),
            )
            return
        draft["departement"] = dep
        ask(ctx, OnboardingStep.POPULATION)
    elif step is OnboardingStep.POPULATION:
        population = parse_population(text)
        if population is None:
            ctx.say(
                _("Tapez un nombre d’habitants, sans lettres (par exemple 1250)."),
                (_cancel_row(ctx),),
            )
            return
        draft["population"] = population
        ask(ctx, OnboardingStep.CONFIRM)
    else:
        ctx.say(_("Confirmez avec le bouton « Enregistrer », ou tapez /annuler."))
        ask(ctx, OnboardingStep.CONFIRM)


def _draft_is_complete(draft: dict[str, Any]) -> bool:
    return all(key in draft for key in ("siret", "kind", "name", "departement", "population"))


def confirm(ctx: Ctx) -> None:
    draft = _draft(ctx)
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
        ctx._("{name} est enregistrée, et vous en êtes administrateur ou administratrice.").format(
            name=created.name
        ),
        edit=True,
    )
    start_questionnaire(ctx)


def request_to_join(ctx: Ctx, collectivite_id: int, name: str) -> None:
    """Known SIRET: no duplicate; ask the administrators to let this person in."""
    request_id, created = ctx.store.people.request_join(collectivite_id, ctx.user.id, ctx.now)
    set_flow(ctx.state, Flow.IDLE.value)
    _ = ctx._
    if created:
        requester = ctx.user.display_name or _("Une personne")
        members = ctx.store.people.members(collectivite_id)
        for admin_id in [m.user_id for m in members if m.role == Role.ADMIN]:

            def render(tr: Translator, requester: str = requester) -> Reply:
                return Reply(
                    tr.gettext(
                        "{person} demande à rejoindre l’équipe de {name} sur Éco-clic."
                    ).format(person=requester, name=name),
                    (
                        (
                            ui.button(tr.gettext("Accepter"), JoinAccept(request_id)),
                            ui.button(tr.gettext("Refuser"), JoinRefuse(request_id)),
                        ),
                    ),
                )

            ctx.notify(admin_id, f"join-request:{request_id}:admin:{admin_id}", render)
    ctx.say(
        _(
            "{name} est déjà inscrite sur Éco-clic. J’ai transmis votre demande à ses administrateurs : "
            "vous serez prévenu·e dès qu’ils auront répondu."
        ).format(name=name)
        if created
        else _(
            "Votre demande pour rejoindre {name} est déjà transmise : elle attend la réponse des administrateurs."
        ).format(name=name)
    )
