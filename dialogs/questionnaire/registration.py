"""The registration's screens and checks: each step's prompt, the SIRET and département checks, and
the join request a known SIRET sends. dialogs.questionnaire.onboarding routes buttons and text here.

Forgiving on purpose: « SIRET 213 105 554 00017 » is read; a 9-digit SIREN is told what is missing;
a SIREN that is not a public body's is questioned, not refused; a commune's SIREN encodes its
département, which is proposed and checked against what is typed.
"""

from __future__ import annotations

from typing import Any

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.i18n import Translator
from dialogs.parsing import (
    KINDS,
    CollectiviteKind,
    PopulationProblem,
    SiretProblem,
    departement_of_siret,
    is_public_siren,
    read_population,
)
from dialogs.questionnaire.buttons import (
    CancelOnboarding,
    ConfirmOnboarding,
    ConfirmSiret,
    DepartementPick,
    EditField,
    KindButton,
)
from dialogs.records import Role
from dialogs.replies import Button, Reply
from dialogs.state import Flow, OnboardingStep, set_flow
from dialogs.team.buttons import JoinAccept, JoinRefuse

STEPS = tuple(OnboardingStep)
# A kind may be typed by its number in the list ("1" is a commune).
KIND_NUMBERS = {str(number): kind for number, kind in enumerate(KINDS, 1)}
SIRET_EXAMPLE = "213 105 554 00017"  # Toulouse's town hall: passes its own checksum (a test checks)


def current_step(ctx: Ctx) -> OnboardingStep:
    value = ctx.state.get("step")
    return (
        OnboardingStep(value)
        if isinstance(value, str) and value in OnboardingStep._value2member_map_
        else OnboardingStep.SIRET
    )


def draft_of(ctx: Ctx) -> dict[str, Any]:
    draft = ctx.state.get("draft")
    if not isinstance(draft, dict):
        draft = {}
        ctx.state["draft"] = draft
    return draft


def cancel_row(ctx: Ctx) -> tuple[Button, ...]:
    return (ui.button(ctx._("Annuler"), CancelOnboarding()),)


def proceed(ctx: Ctx, done: OnboardingStep) -> None:
    """After `done`: the next step, or straight back to the check when one field was corrected."""
    draft = draft_of(ctx)
    if draft.pop("fix", False):
        ask(ctx, OnboardingStep.CONFIRM)
        return
    ask(ctx, STEPS[min(STEPS.index(done) + 1, len(STEPS) - 1)])


def ask(ctx: Ctx, step: OnboardingStep, *, note: str = "", edit: bool = False) -> None:
    """Move to `step` and ask its question (`note`, plain text, tops the same message)."""
    _ = ctx._
    ctx.state["step"] = step.value
    draft = draft_of(ctx)
    rows: tuple[tuple[Button, ...], ...] = (cancel_row(ctx),)
    if step is OnboardingStep.SIRET:
        text = ui.fmt(
            _(
                "Quel est le numéro SIRET de votre collectivité ? (14 chiffres, par exemple {example})\n"
                "Vous le trouverez sur annuaire-entreprises.data.gouv.fr ou sur une facture."
            ),
            example=SIRET_EXAMPLE,
        )
    elif step is OnboardingStep.KIND:
        text = _("Quel type de collectivité ?")
        rows = (
            *((ui.button(ui.kind_label(ctx.tr, kind), KindButton(kind)),) for kind in KINDS),
            cancel_row(ctx),
        )
    elif step is OnboardingStep.NAME:
        text = _("Quel est son nom ? (par exemple : Commune de Beauvoir)")
    elif step is OnboardingStep.DEPARTEMENT:
        text = _("Dans quel département ? Tapez son numéro (par exemple 60, 2A ou 974).")
        proposed = sorted(departement_of_siret(str(draft.get("siret", ""))))
        if proposed:
            text += "\n" + ui.fmt(
                _("D’après le SIRET de la commune : {codes}."), codes=" / ".join(proposed)
            )
            rows = (
                tuple(ui.button(code, DepartementPick(code)) for code in proposed),
                cancel_row(ctx),
            )
    elif step is OnboardingStep.POPULATION:
        text = _("Combien d’habitants ? (un nombre, par exemple 1250)")
    else:
        confirm_screen(ctx, note=note, edit=edit)
        return
    ctx.say(f"{note}\n\n{text}" if note else text, rows, edit=edit)


def confirm_screen(ctx: Ctx, *, note: str = "", edit: bool = False) -> None:
    """The check before saving; each field can be corrected alone."""
    _ = ctx._
    draft = draft_of(ctx)
    lines = (
        (_("SIRET :"), str(draft.get("siret", ""))),
        (_("Type :"), ui.kind_label(ctx.tr, str(draft.get("kind", "")))),
        (_("Nom :"), str(draft.get("name", ""))),
        (_("Département :"), str(draft.get("departement", ""))),
        (_("Population :"), ctx.tr.number(int(draft.get("population", 0)))),
    )
    text = (
        ui.esc(_("Vérifiez avant d’enregistrer :"))
        + "\n"
        + "\n".join(f"{ui.bold(label)} {ui.esc(value)}" for label, value in lines)
    )
    if note:
        text = f"{ui.esc(note)}\n\n{text}"

    def fix(label: str, step: OnboardingStep) -> Button:
        return ui.button(label, EditField(step))

    rows = (
        (ui.button(_("✅ Enregistrer"), ConfirmOnboarding()),),
        (fix(_("✏️ Nom"), OnboardingStep.NAME), fix(_("✏️ Type"), OnboardingStep.KIND)),
        (
            fix(_("✏️ Département"), OnboardingStep.DEPARTEMENT),
            fix(_("✏️ Population"), OnboardingStep.POPULATION),
        ),
        (fix(_("✏️ SIRET"), OnboardingStep.SIRET), *cancel_row(ctx)),
    )
    ctx.say(text, rows, edit=edit, html=True)


def siret_problem_text(ctx: Ctx, problem: SiretProblem) -> str:
    _ = ctx._
    if problem is SiretProblem.MISSING_NIC:
        return ui.fmt(
            _(
                "C’est un SIREN (9 chiffres) : il manque les 5 chiffres de l’établissement (NIC). "
                "Le SIRET compte 14 chiffres, par exemple {example}."
            ),
            example=SIRET_EXAMPLE,
        )
    if problem is SiretProblem.CHECKSUM:
        return _(
            "Ce numéro n’est pas un SIRET valide : son dernier chiffre est une clé de contrôle qui "
            "ne correspond pas. Vérifiez-le et tapez-le à nouveau."
        )
    return _(
        "Ce numéro n’est pas un SIRET valide : il faut 14 chiffres, et le dernier sert de clé de "
        "contrôle. Vérifiez-le et tapez-le à nouveau."
    )


def take_siret(ctx: Ctx, siret: str, *, confirmed: bool = False) -> None:
    """A well-formed SIRET: join a known collectivité, question a non-public one, else go on."""
    _ = ctx._
    draft = draft_of(ctx)
    existing = ctx.store.people.find_collectivite_by_siret(siret)
    if existing is not None:
        request_to_join(ctx, existing.id, existing.name)
        return
    if not is_public_siren(siret) and not confirmed:
        draft["pending_siret"] = siret
        ctx.say(
            _(
                "Attention : ce SIRET ne semble pas être celui d’un organisme public (leur SIREN "
                "commence par 1 ou 2). Est-ce bien celui de votre collectivité ?"
            ),
            (
                (
                    ui.button(_("Oui, continuer"), ConfirmSiret()),
                    ui.button(_("Corriger"), EditField(OnboardingStep.SIRET)),
                ),
                cancel_row(ctx),
            ),
        )
        return
    draft.pop("pending_siret", None)
    changed = draft.get("siret") != siret
    draft["siret"] = siret
    if draft.get("fix") and changed:
        expected = departement_of_siret(siret)
        if expected and draft.get("departement") not in expected:
            ask(ctx, OnboardingStep.DEPARTEMENT)  # `fix` stays: back to the check after it
            return
    proceed(ctx, OnboardingStep.SIRET)


def take_departement(ctx: Ctx, code: str, *, picked: bool = False) -> None:
    """Keep the département, unless a commune's SIREN says another one: then ask once."""
    _ = ctx._
    draft = draft_of(ctx)
    expected = departement_of_siret(str(draft.get("siret", "")))
    if expected and code not in expected and not picked and draft.get("dep_typed") != code:
        draft["dep_typed"] = code
        proposed = sorted(expected)
        ctx.say(
            ui.fmt(
                _(
                    "Le SIRET de la commune indique le département {expected}, et vous avez tapé {code}. "
                    "Lequel est le bon ?"
                ),
                expected=" / ".join(proposed),
                code=code,
            ),
            (
                tuple(ui.button(c, DepartementPick(c)) for c in [*proposed, code]),
                cancel_row(ctx),
            ),
        )
        return
    draft.pop("dep_typed", None)
    draft["departement"] = code
    proceed(ctx, OnboardingStep.DEPARTEMENT)


def read_name(text: str) -> str | None:
    """A collectivité's name as typed, spaces tidied; None when it is not one."""
    name = " ".join(text.split())
    return name if 2 <= len(name) <= 200 and any(c.isalpha() for c in name) else None


def name_problem_text(ctx: Ctx) -> str:
    return ctx._("Le nom doit compter entre 2 et 200 caractères, avec des lettres.")


def departement_problem_text(ctx: Ctx) -> str:
    return ctx._(
        "Je ne connais pas ce département. Tapez un numéro de 01 à 95, 2A, 2B ou de 971 à 976."
    )


def read_kind(ctx: Ctx, text: str) -> CollectiviteKind | None:
    """A kind typed by its code, its label or its number in the list."""
    folded = text.strip().lower()
    match = next(
        (code for code in KINDS if folded in (code, ui.kind_label(ctx.tr, code).lower())), None
    )
    return match if match is not None else KIND_NUMBERS.get(folded)


def population_problem_text(ctx: Ctx, problem: PopulationProblem) -> str:
    _ = ctx._
    return {
        PopulationProblem.UNREADABLE: _(
            "Je n’ai pas lu de nombre d’habitants. Tapez par exemple 1250, 12 000 ou 1,2 k."
        ),
        PopulationProblem.ZERO: _(
            "Une collectivité compte au moins un habitant : tapez sa population (par exemple 1250)."
        ),
        PopulationProblem.NEGATIVE: _(
            "Un nombre d’habitants ne peut pas être négatif : tapez la population (par exemple 1250)."
        ),
        PopulationProblem.TOO_BIG: _(
            "C’est plus que la population de la France : vérifiez le nombre (par exemple 12 000)."
        ),
    }[problem]


def take_population(ctx: Ctx, text: str) -> None:
    found = read_population(text, ctx.locale)
    if isinstance(found, PopulationProblem):
        ctx.say(population_problem_text(ctx, found), (cancel_row(ctx),))
        return
    draft_of(ctx)["population"] = found
    proceed(ctx, OnboardingStep.POPULATION)


def request_to_join(ctx: Ctx, collectivite_id: int, name: str) -> None:
    """Known SIRET: no duplicate; ask the administrators to let this person in (a member of
    other collectivités too: joining adds a membership; joining the same one twice is refused)."""
    _ = ctx._
    set_flow(ctx.state, Flow.IDLE.value)
    if access.membership_in(ctx, collectivite_id) is not None:
        ctx.say(
            ui.fmt(
                _("Vous faites déjà partie de l’équipe de {name}. Tapez /equipe pour la voir."),
                name=name,
            )
        )
        return
    request_id, created = ctx.store.people.request_join(collectivite_id, ctx.user.id, ctx.now)
    if created:
        requester = ctx.user.display_name or _("Une personne")
        members = ctx.store.people.members(collectivite_id)
        for admin_id in [m.user_id for m in members if m.role == Role.ADMIN]:

            def render(tr: Translator, requester: str = requester) -> Reply:
                return Reply(
                    ui.fmt(
                        tr.gettext("{person} demande à rejoindre l’équipe de {name} sur Éco-clic."),
                        person=requester,
                        name=name,
                    ),
                    (
                        (
                            ui.button(tr.gettext("Accepter"), JoinAccept(request_id)),
                            ui.button(tr.gettext("Refuser"), JoinRefuse(request_id)),
                        ),
                    ),
                )

            ctx.notify(admin_id, f"join-request:{request_id}:admin:{admin_id}", render)
    ctx.say(
        ui.fmt(
            _(
                "{name} est déjà inscrite sur Éco-clic. J’ai transmis votre demande à ses administrateurs : "
                "vous serez prévenu·e dès qu’ils auront répondu."
            ),
            name=name,
        )
        if created
        else ui.fmt(
            _(
                "Votre demande pour rejoindre {name} est déjà transmise : elle attend la réponse des administrateurs."
            ),
            name=name,
        )
    )
