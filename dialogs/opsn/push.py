"""A referent pushes a recommendation to one followed collectivité, or to all of them.

From /collectivites › « Proposer une action »: the target (one collectivité or « Toutes »), the
source (the referential's catalogue: a theme, then a recommendation; or « Rédiger »: title, why,
how, priority), an optional due date, a confirmation. Sending stores one proposal per collectivité
(one batch) and notifies each team's administrators through the outbox, in the same transaction
(`dialogs.opsn.push_answer` handles their answer; `dialogs.opsn.push_catalogue` the catalogue
source). The draft lives in the conversation state
(flow `opsn_push`); every button checks again that the speaker is a referent of the OPSN it names
and that the draft is at the step the button belongs to, so stale or forged presses store nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.opsn.follow import followed_by_referent
from dialogs.opsn.push_buttons import (
    PushCancel,
    PushCatalogue,
    PushNoDue,
    PushPriority,
    PushSend,
    PushStart,
    PushTo,
    PushToAll,
    PushWrite,
)
from dialogs.opsn.push_notify import send_proposals
from dialogs.opsn.push_texts import (
    TEXT_MAX,
    TEXT_MIN,
    TITLE_MAX,
    one_line,
    priority_codes,
    proposal_body,
)
from dialogs.opsn.supervision import followed_collectivite
from dialogs.opsn.supervision_view import LABEL_PAIRED, short
from dialogs.plan.due import parse_date_fr
from dialogs.records import NewProposal
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from dialogs.ui import button, confirm_rows, page_nav, paginate, priority_label

router = Router()

PICK_PAGE = 20  # as /collectivites, so its page numbers carry over
# Draft steps; typed text answers the first four (`expects_text`), buttons the others.
TEXT_STEPS = frozenset({"title", "why", "how", "due"})
ALL = 0  # the draft's collectivité id when the proposal goes to every followed collectivité


def draft(ctx: Ctx, opsn_id: int, *steps: str) -> dict[str, Any] | None:
    """The speaker's draft for this OPSN at one of `steps`; None (after saying why) otherwise."""
    if not access.require_referent(ctx, opsn_id):
        return None
    state = ctx.state
    if flow_of(state) != Flow.OPSN_PUSH.value or state.get("po") != opsn_id:
        access.refuse(
            ctx,
            ctx._(
                "Cette proposition n’est plus en cours (déjà envoyée ou abandonnée). Recommencez "
                "depuis /collectivites."
            ),
        )
        return None
    if steps and state.get("ps") not in steps:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
        return None
    return state


def target_name(ctx: Ctx, state: dict[str, Any]) -> str:
    if state.get("pc") == ALL:
        return ctx._("toutes les collectivités suivies ({n})").format(n=state.get("pn", 0))
    return str(state.get("pcn", ""))


@router.button(PushStart)
def start(ctx: Ctx, event: Event, data: PushStart) -> None:
    found = followed_by_referent(ctx, data.opsn_id)
    if found is None:
        return
    opsn, followed = found
    _ = ctx._
    page = paginate(followed, data.page, PICK_PAGE)
    rows: list[tuple[Button, ...]] = [
        (button(short(s.collectivite.name), PushTo(opsn.id, s.collectivite.id)),)
        for _a, s in page.items
    ]
    nav = page_nav(ctx.tr, page, lambda n: PushStart(opsn.id, n))
    if nav:
        rows.append(nav)
    rows.append((button(_("Toutes ({n})").format(n=len(followed)), PushToAll(opsn.id)),))
    ctx.say(
        _(
            "À quelle collectivité proposer une action ? « Toutes » l’envoie à chacune des "
            "collectivités que {opsn} accompagne."
        ).format(opsn=opsn.name),
        tuple(rows),
    )


@router.button(PushTo)
def to_one(ctx: Ctx, event: Event, data: PushTo) -> None:
    found = followed_collectivite(ctx, data.opsn_id, data.collectivite_id)
    if found is None:
        return
    opsn, status = found
    set_flow(
        ctx.state,
        Flow.OPSN_PUSH,
        po=opsn.id,
        pc=status.collectivite.id,
        pcn=status.collectivite.name,
        ps="source",
    )
    ask_source(ctx, opsn.id)


@router.button(PushToAll)
def to_all(ctx: Ctx, event: Event, data: PushToAll) -> None:
    found = followed_by_referent(ctx, data.opsn_id)
    if found is None:
        return
    opsn, followed = found
    set_flow(ctx.state, Flow.OPSN_PUSH, po=opsn.id, pc=ALL, pn=len(followed), ps="source")
    ask_source(ctx, opsn.id)


def ask_source(ctx: Ctx, opsn_id: int) -> None:
    _ = ctx._
    ctx.say(
        _(
            "Proposer une action à {target} : une recommandation du référentiel, ou une action "
            "que vous rédigez (par exemple « Atelier sobriété numérique du 12 mars ») ?"
        ).format(target=target_name(ctx, ctx.state)),
        (
            (
                button(short(_("Catalogue"), LABEL_PAIRED), PushCatalogue(opsn_id)),
                button(short(_("Rédiger"), LABEL_PAIRED), PushWrite(opsn_id)),
            ),
            (button(_("Annuler"), PushCancel(opsn_id)),),
        ),
        edit=True,
    )


@router.button(PushWrite)
def write(ctx: Ctx, event: Event, data: PushWrite) -> None:
    state = draft(ctx, data.opsn_id, "source")
    if state is None:
        return
    state["ps"] = "title"
    ctx.say(
        ctx._(
            "Titre de l’action ({n} caractères au plus), par exemple « Atelier sobriété "
            "numérique du 12 mars » (ou /annuler) :"
        ).format(n=TITLE_MAX),
        edit=True,
    )


@router.flow(Flow.OPSN_PUSH)
def typed(ctx: Ctx, event: Event) -> None:
    state = ctx.state
    opsn_id = state.get("po")
    if not isinstance(opsn_id, int) or draft(ctx, opsn_id) is None:
        set_flow(state, Flow.IDLE)
        return
    _ = ctx._
    step = state.get("ps")
    if step not in TEXT_STEPS:
        ctx.say(_("Touchez un des boutons ci-dessus, ou tapez /annuler pour abandonner."))
        return
    if step == "due":
        typed_due(ctx, state, event.text)
        return
    limit = TITLE_MAX if step == "title" else TEXT_MAX
    text = one_line(event.text) if step == "title" else event.text.strip()
    if len(text) < TEXT_MIN:
        ctx.say(_("C’est un peu court : {n} caractères au moins.").format(n=TEXT_MIN))
        return
    if len(text) > limit:
        ctx.say(
            _(
                "C’est trop long ({length} caractères) : {n} au plus. Raccourcissez, s’il vous plaît."
            ).format(length=len(text), n=limit)
        )
        return
    if step == "title":
        state.update(pt=text, ps="why")
        ctx.say(
            _("Pourquoi cette action ? En quelques phrases ({n} caractères au plus) :").format(
                n=TEXT_MAX
            )
        )
    elif step == "why":
        state.update(pw=text, ps="how")
        ctx.say(
            _("Comment s’y prendre ? Les premières étapes ({n} caractères au plus) :").format(
                n=TEXT_MAX
            )
        )
    else:
        state.update(ph=text, ps="priority")
        ctx.say(
            _("Quelle priorité ?"),
            (
                tuple(
                    button(short(_label(ctx, code), LABEL_PAIRED), PushPriority(opsn_id, weight))
                    for weight, code in priority_codes(ctx.ref)
                ),
            ),
        )


def _label(ctx: Ctx, code: str) -> str:
    return priority_label(ctx.tr, code)


@router.button(PushPriority)
def priority(ctx: Ctx, event: Event, data: PushPriority) -> None:
    state = draft(ctx, data.opsn_id, "priority")
    if state is None:
        return
    if data.priority not in {w for w, _c in priority_codes(ctx.ref)}:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
        return
    state.update(pp=data.priority, ps="due")
    ask_due(ctx, data.opsn_id, edit=True)


def ask_due(ctx: Ctx, opsn_id: int, *, edit: bool = True) -> None:
    ctx.say(
        ctx._(
            "Une échéance à proposer ? Tapez une date au format JJ/MM/AAAA (par exemple "
            "12/03/2027), ou touchez « Sans échéance »."
        ),
        ((button(ctx._("Sans échéance"), PushNoDue(opsn_id)),),),
        edit=edit,
    )


def local_today(ctx: Ctx) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()


def typed_due(ctx: Ctx, state: dict[str, Any], text: str) -> None:
    _ = ctx._
    value, error = parse_date_fr(text, local_today(ctx))
    if value is None:
        ctx.say(
            {
                "format": _(
                    "Je n’ai pas reconnu de date. Tapez-la au format JJ/MM/AAAA, par exemple "
                    "12/03/2027, ou touchez « Sans échéance »."
                ),
                "impossible": _("Cette date n’existe pas. Tapez une date au format JJ/MM/AAAA."),
                "past": _("Cette date est déjà passée : choisissez une date à venir."),
                "far": _(
                    "Cette date est trop lointaine : choisissez une échéance dans les cinq ans."
                ),
            }[error],
            ((button(_("Sans échéance"), PushNoDue(int(state["po"]))),),),
        )
        return
    state.update(pd=value.isoformat(), ps="confirm")
    confirm(ctx, state, edit=False)


@router.button(PushNoDue)
def no_due(ctx: Ctx, event: Event, data: PushNoDue) -> None:
    state = draft(ctx, data.opsn_id, "due")
    if state is None:
        return
    state.update(pd=None, ps="confirm")
    confirm(ctx, state, edit=True)


def proposal_of(state: dict[str, Any]) -> NewProposal:
    """The draft as a proposal (a catalogue one keeps only its question, priority and date)."""
    due = state.get("pd")
    return NewProposal(
        question_id=state.get("pq"),
        title=str(state.get("pt", "")),
        why=str(state.get("pw", "")),
        how=str(state.get("ph", "")),
        priority=int(state.get("pp", 1)),
        due_date=date.fromisoformat(due) if isinstance(due, str) else None,
    )


def confirm(ctx: Ctx, state: dict[str, Any], *, edit: bool) -> None:
    _ = ctx._
    opsn_id = int(state["po"])
    ctx.say(
        _("À envoyer à {target} :").format(target=target_name(ctx, state))
        + "\n\n"
        + proposal_body(ctx.tr, ctx.ref, proposal_of(state))
        + "\n\n"
        + _(
            "Les administrateurs de chaque collectivité la recevront avec « Ajouter au plan » et "
            "« Pas pour nous »."
        ),
        confirm_rows(ctx.tr, PushSend(opsn_id), PushCancel(opsn_id), yes_label=_("Envoyer")),
        edit=edit,
    )


@router.button(PushCancel)
def cancel(ctx: Ctx, event: Event, data: PushCancel) -> None:
    if flow_of(ctx.state) == Flow.OPSN_PUSH.value and ctx.state.get("po") == data.opsn_id:
        set_flow(ctx.state, Flow.IDLE)
    ctx.say(ctx._("D’accord, rien n’a été envoyé. Pour recommencer : /collectivites."), edit=True)


@router.button(PushSend)
def send(ctx: Ctx, event: Event, data: PushSend) -> None:
    state = draft(ctx, data.opsn_id, "confirm")
    if state is None:
        return
    target = state.get("pc")
    if target == ALL:
        found = followed_by_referent(ctx, data.opsn_id)
        if found is None:
            set_flow(ctx.state, Flow.IDLE)
            return
        opsn, followed = found
        ids = [s.collectivite.id for _a, s in followed]
    else:
        one = followed_collectivite(ctx, data.opsn_id, int(target or 0))
        if one is None:
            set_flow(ctx.state, Flow.IDLE)
            return
        opsn, status = one
        ids = [status.collectivite.id]
    proposal = proposal_of(state)
    set_flow(ctx.state, Flow.IDLE)
    send_proposals(ctx, opsn, ids, proposal)
