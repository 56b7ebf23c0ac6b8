"""The engine: given a context (stored state, store, clock) and one event, decide the replies.

It knows no messaging library and no database: channels turn their updates into `Event`s and render
`Reply`s; the store port does the reads and writes inside the caller's transaction.
"""

from __future__ import annotations

from dialogs import general, links
from dialogs.context import Ctx
from dialogs.events import Event, EventKind
from dialogs.opsn import attachment as opsn
from dialogs.opsn import follow as opsn_follow
from dialogs.opsn import platform
from dialogs.plan import listing as plan
from dialogs.questionnaire import onboarding, results
from dialogs.questionnaire import questions as questionnaire
from dialogs.reminders import settings as reminders
from dialogs.replies import Outcome
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from dialogs.team import joining
from dialogs.team import members as team

# Feature routers, merged once. Add a module here to plug a feature in.
ROUTERS: tuple[Router, ...] = (
    general.router,
    onboarding.router,
    questionnaire.router,
    results.router,
    team.router,
    joining.router,
    opsn.router,
    opsn_follow.router,
    platform.router,
    links.router,
    plan.router,
    reminders.router,
)


def build_router(routers: tuple[Router, ...] = ROUTERS) -> Router:
    merged = Router()
    for router in routers:
        merged.include(router)
    return merged


ROUTER = build_router()


async def step(ctx: Ctx, event: Event) -> Outcome:
    """Handle one event. Never raises for bad input: every event gets at least one reply."""
    await dispatch(ctx, event)
    if not ctx.out.replies and ctx.out.toast is None:
        await general.unknown_text(ctx, event)
    return Outcome(tuple(ctx.out.replies), ctx.out.toast)


async def dispatch(ctx: Ctx, event: Event) -> None:
    if event.kind is EventKind.START:
        await _start(ctx, event)
    elif event.kind is EventKind.COMMAND:
        handler = ROUTER.commands.get(event.command)
        await (handler or general.unknown_command)(ctx, event)
    elif event.kind is EventKind.BUTTON:
        prefix = event.data.split(":", 1)[0]
        handler = ROUTER.buttons.get(prefix)
        await (handler or general.stale_button)(ctx, event)
    elif event.kind is EventKind.TEXT:
        if not event.text.strip():
            ctx.say(ctx._("Votre message est vide. Tapez /aide pour voir ce que je sais faire."))
            return
        flow = flow_of(ctx.state)
        handler = ROUTER.flows.get(flow)
        if handler is None and flow != Flow.IDLE.value:
            set_flow(ctx.state, Flow.IDLE.value)  # a flow nobody handles any more: start afresh
        await (handler or general.unknown_text)(ctx, event)
    else:
        await general.unsupported(ctx, event)


async def _start(ctx: Ctx, event: Event) -> None:
    payload = event.text.strip()
    if payload:
        for prefix, handler in ROUTER.deep_links.items():
            if payload.startswith(prefix):
                await handler(ctx, event)
                return
        ctx.say(
            ctx._(
                "Ce lien n’est pas (ou plus) valable. Demandez un nouveau lien à la personne qui vous l’a envoyé."
            )
        )
    if flow_of(ctx.state) == Flow.ONBOARDING.value:
        set_flow(ctx.state, Flow.IDLE.value)
    await general.welcome(ctx)
