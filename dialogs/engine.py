"""The engine: given a context (stored state, store, clock) and one event, decide the replies.

It knows no messaging library and no database: channels turn their updates into `Event`s and render
`Reply`s; the store port does the reads and writes inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs import access, general, ui
from dialogs.context import Ctx
from dialogs.documents.routes import router as documents_router
from dialogs.events import Event, EventKind
from dialogs.level2.reading import TYPED_TYPES
from dialogs.level2.routes import router as level2_router
from dialogs.opsn.push import TEXT_STEPS as PUSH_TEXT_STEPS
from dialogs.opsn.routes import router as opsn_router
from dialogs.plan.buttons import AddStep
from dialogs.plan.draft import Draft
from dialogs.plan.routes import router as plan_router
from dialogs.privacy.routes import router as privacy_router
from dialogs.profile.routes import router as profile_router
from dialogs.questionnaire.routes import router as questionnaire_router
from dialogs.reminders.routes import router as reminders_router
from dialogs.replies import Outcome, Reply
from dialogs.router import Router
from dialogs.state import Flow, OnboardingStep, flow_of, set_flow
from dialogs.target.routes import router as target_router
from dialogs.team.routes import router as team_router


def _merged(*routers: Router) -> Router:
    merged = Router()
    for router in routers:
        merged.include(router)
    return merged


# Every feature, merged once. Add a package's router here to plug a feature in.
ROUTER = _merged(
    general.router,
    questionnaire_router,
    plan_router,
    team_router,
    opsn_router,
    reminders_router,
    privacy_router,
    documents_router,
    target_router,
    level2_router,
    profile_router,
)


def step(ctx: Ctx, event: Event) -> Outcome:
    """Handle one event. Never raises for bad input: every event gets at least one reply."""
    dispatch(ctx, event)
    if not ctx.out.replies and ctx.out.toast is None:
        general.unknown_text(ctx, event)
    replies = header(ctx, tuple(ctx.out.replies))
    staff = None
    if event.kind in (EventKind.COMMAND, EventKind.START):
        staff = access.is_platform_admin(ctx) or bool(ctx.store.opsn.referent_opsn(ctx.user.id))
    return Outcome(replies, ctx.out.toast, expects_text=expects_text(ctx), staff=staff)


def header(ctx: Ctx, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
    """A person of several collectivités reads which one the event was about atop its first reply
    (the one a reminder's button acted on, else the active one); with one, nothing changes."""
    if not replies:
        return replies
    member = ctx.about or ctx.member()
    if member is None or member.memberships < 2:
        return replies
    line = f"🏛 {member.collectivite.name}"
    first = replies[0]
    html = f"{ui.esc(line)}\n{first.html}" if first.html else ""
    return (replace(first, text=f"{line}\n{first.text}", html=html), *replies[1:])


# Flows whose only question is typed text (a date, a reason, a label, a name).
_TEXT_FLOWS = frozenset(
    {
        Flow.PLAN_DUE,
        Flow.PLAN_REASON,
        Flow.TEAM_FUNCTION,
        Flow.OPSN_ADD,
        Flow.PRIVACY_DELETE,
        Flow.PROFILE_EDIT,
        Flow.PUSH_REASON,
        Flow.PLAN_OWN_EDIT,
    }
)
# Steps of adding an own action that are typed (the others are buttons).
_ADD_TEXT_STEPS = frozenset({AddStep.TITLE.value, AddStep.DETAILS.value, AddStep.DUE.value})
# Registration steps asked as typed text (the kind and the final check are buttons).
_TEXT_STEPS = frozenset(
    {
        OnboardingStep.SIRET,
        OnboardingStep.NAME,
        OnboardingStep.DEPARTEMENT,
        OnboardingStep.POPULATION,
    }
)


def expects_text(ctx: Ctx) -> bool:
    """True when, after this event, the open question wants typed text: a channel that numbers its
    buttons must then read « 01 » as the answer (département 01), never as button 1 (« Annuler »)."""
    flow = flow_of(ctx.state)
    if flow in _TEXT_FLOWS:
        return True
    if flow == Flow.ONBOARDING.value:
        return ctx.state.get("step", OnboardingStep.SIRET.value) in _TEXT_STEPS
    if flow == Flow.OPSN_PUSH.value:
        return ctx.state.get("ps") in PUSH_TEXT_STEPS
    if flow == Flow.PLAN_ADD.value:
        draft = Draft.load(ctx.state)
        return draft is not None and draft.step in _ADD_TEXT_STEPS
    if flow == Flow.LEVEL2.value:
        qid = ctx.state.get("l2q")
        return (
            isinstance(qid, str)
            and ctx.ref.has_question(qid)
            and ctx.ref.question(qid).answer_type in TYPED_TYPES
        )
    return False


def dispatch(ctx: Ctx, event: Event) -> None:
    if event.kind is EventKind.START:
        _start(ctx, event)
    elif event.kind is EventKind.COMMAND:
        handler = ROUTER.commands.get(event.command)
        (handler or general.unknown_command)(ctx, event)
    elif event.kind is EventKind.BUTTON:
        # Stale, unknown or forged data never reaches a feature: it gets the stale-button reply.
        found = ROUTER.resolve_button(event.data)
        if found is None:
            general.stale_button(ctx, event)
        else:
            route, value = found
            route.handler(ctx, event, value)
    elif event.kind is EventKind.TEXT:
        if not event.text.strip():
            ctx.say(ctx._("Votre message est vide. Tapez /aide pour voir ce que je sais faire."))
            return
        flow = flow_of(ctx.state)
        handler = ROUTER.flows.get(flow)
        if handler is None and flow != Flow.IDLE.value:
            set_flow(ctx.state, Flow.IDLE.value)  # a flow nobody handles any more: start afresh
        (handler or general.unknown_text)(ctx, event)
    elif event.kind is EventKind.EDITED:
        _edited(ctx)
    else:
        general.unsupported(ctx, event)


def _edited(ctx: Ctx) -> None:
    """An earlier message edited: the change is not read (nothing is undone or redone)."""
    ctx.say(
        ctx._(
            "Je ne lis pas les messages modifiés : votre modification n’a rien changé. Envoyez "
            "plutôt un nouveau message ; pour changer une réponse, utilisez /questionnaire."
        )
    )


def _start(ctx: Ctx, event: Event) -> None:
    """/start, with an invitation payload or not (channels turn "/start …" into a START event)."""
    payload = event.text.strip()
    if payload:
        for prefix, handler in ROUTER.deep_links.items():
            if payload.startswith(prefix):
                handler(ctx, event)
                return
        ctx.say(
            ctx._(
                "Ce lien n’est pas (ou plus) valable. Demandez un nouveau lien à la personne qui vous l’a envoyé."
            )
        )
    if flow_of(ctx.state) == Flow.ONBOARDING.value:
        set_flow(ctx.state, Flow.IDLE.value)
    general.welcome(ctx)
