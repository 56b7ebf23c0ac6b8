"""A team member's function in the collectivité ("élu·e", "DSI"…): preset buttons or typed text.

Shared by /equipe ("Ma fonction") and by the welcome that follows joining a team, so it has its own
module: neither `members` nor `joining` needs the other for it.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import N_, Translator
from dialogs.parsing import fold
from dialogs.plan.buttons import PlanPage
from dialogs.questionnaire.buttons import QuestionnaireMenu
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.team.buttons import FunctionAsk, FunctionCode, FunctionPick
from dialogs.ui import button

router = Router()

FUNCTION_FLOW = "team_function"
MAX_FUNCTION = 60

# Preset functions (stored as the French label: it is data the team reads, like a name).
FUNCTIONS: dict[FunctionCode, str] = {
    FunctionCode.ELU: N_("Élu·e"),
    FunctionCode.SECRETAIRE: N_("Secrétaire de mairie"),
    FunctionCode.AGENT: N_("Agent·e"),
    FunctionCode.DSI: N_("DSI"),
}


def capitalised(label: str) -> str:
    """ "adjoint au numérique" -> "Adjoint au numérique": a function reads as a title in lists;
    only the first letter changes ("DSI", "élu·e de l’EPCI" keep the rest as typed)."""
    return label[:1].upper() + label[1:]


def function_button(tr: Translator, code: FunctionCode) -> Button:
    return button(tr.gettext(FUNCTIONS[code]), FunctionPick(code))


def welcome_rows(tr: Translator) -> Keyboard:
    """The presets on two rows, "Autre", then the questionnaire: what a newcomer does first."""
    presets = [function_button(tr, code) for code in FUNCTIONS]
    return (
        tuple(presets[:2]),
        (*presets[2:], button(tr.gettext("Autre"), FunctionPick(FunctionCode.OTHER))),
        (button(tr.gettext("▶ Questionnaire"), QuestionnaireMenu()),),
    )


def ask_function(ctx: Ctx) -> None:
    if access.require_member(ctx) is None:
        return
    _ = ctx._
    rows = tuple((function_button(ctx.tr, code),) for code in FUNCTIONS)
    ctx.say(
        _("Quelle est votre fonction dans la collectivité ?"),
        (*rows, (button(_("Autre (je la tape)"), FunctionPick(FunctionCode.OTHER)),)),
    )


@router.button(FunctionAsk)
def function_asked(ctx: Ctx, event: Event, data: FunctionAsk) -> None:
    ask_function(ctx)


@router.button(FunctionPick)
def function_picked(ctx: Ctx, event: Event, data: FunctionPick) -> None:
    if access.require_member(ctx) is None:
        return
    if data.code is FunctionCode.OTHER:
        set_flow(ctx.state, FUNCTION_FLOW)
        ctx.say(
            ctx._("Tapez votre fonction ({n} caractères au plus), ou /annuler.").format(
                n=MAX_FUNCTION
            )
        )
        return
    _save_function(ctx, FUNCTIONS[data.code], edit=True)


@router.flow(FUNCTION_FLOW)
def function_typed(ctx: Ctx, event: Event) -> None:
    label = " ".join(event.text.split())
    if not 2 <= len(label) <= MAX_FUNCTION or not any(c.isalpha() for c in label):
        ctx.say(
            ctx._("La fonction doit compter entre 2 et {n} caractères, avec des lettres.").format(
                n=MAX_FUNCTION
            )
        )
        return
    preset = next((v for v in FUNCTIONS.values() if fold(v) == fold(label)), None)
    set_flow(ctx.state, Flow.IDLE.value)
    if access.require_member(ctx) is None:
        return
    _save_function(ctx, preset or capitalised(label))


def _save_function(ctx: Ctx, label: str, *, edit: bool = False) -> None:
    """Save, then say what is kept about the person and where to start: no dead end."""
    _ = ctx._
    member = ctx.member()
    # The function is held in the active collectivité (a secrétaire de mairie may be an élue
    # elsewhere); callers checked there is one.
    ctx.store.people.set_function(
        ctx.user.id, label, member.collectivite.id if member is not None else None
    )
    ctx.say(
        _("C’est noté : votre fonction est « {label} ».").format(label=label)
        + "\n\n"
        + _(
            "Ce que je conserve sur vous : votre identifiant de messagerie, votre nom affiché, votre "
            "langue et votre fonction, visibles de votre équipe. Rien d’autre."
        )
        + "\n\n"
        + _(
            "Par où commencer ? Le questionnaire (une trentaine de questions), puis le plan d’actions."
        ),
        (
            (
                button(_("▶ Questionnaire"), QuestionnaireMenu()),
                button(_("Mon plan"), PlanPage()),
            ),
        ),
        edit=edit,
    )
