"""A team answers a recommendation its OPSN pushed: « Ajouter au plan » or « Pas pour nous ».

Only the administrators of the collectivité the proposal is addressed to may answer; anyone else
pressing the button (another team, a referent, a stranger with forged data) gets the stale-button
reply and learns nothing of it. A proposal is decided once: a second press says who decided and
when. « Pas pour nous » asks for a short reason (typed, or « Sans motif »). Either way the OPSN's
referents are told through the outbox, in the same transaction.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.opsn.push_buttons import ProposalAccept, ProposalDecline, ProposalNoReason
from dialogs.opsn.push_plan import add_to_plan
from dialogs.opsn.push_texts import REASON_MAX, one_line, proposal_title
from dialogs.records import AttachmentStatus, MembershipInfo, OpsnInfo, ProposalInfo, ProposalStatus
from dialogs.replies import Reply
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from dialogs.team.people import local_date, name_of
from dialogs.ui import button

router = Router()


def team_proposal(
    ctx: Ctx, proposal_id: int
) -> tuple[MembershipInfo, ProposalInfo, OpsnInfo] | None:
    """The proposal a button names, for an administrator of its collectivité; else refuse."""
    p = ctx.store.proposals.proposal(proposal_id)
    member = ctx.member()
    opsn = ctx.store.opsn.opsn(p.opsn_id) if p is not None else None
    if p is None or opsn is None or member is None or member.collectivite.id != p.collectivite_id:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
        return None
    if not member.is_admin:
        access.refuse(
            ctx,
            ctx._(
                "Seuls les administrateurs de {name} peuvent répondre à cette proposition. "
                "Demandez à l’un d’eux (voir /equipe)."
            ).format(name=member.collectivite.name),
        )
        return None
    return member, p, opsn


def still_pending(ctx: Ctx, proposal_id: int) -> tuple[ProposalInfo, OpsnInfo] | None:
    """Checks, then locks the collectivité and reads the proposal again: None (after saying why)
    when it was decided meanwhile or the OPSN no longer accompanies the collectivité."""
    found = team_proposal(ctx, proposal_id)
    if found is None:
        return None
    _member, p, opsn = found
    ctx.store.people.lock_collectivite(p.collectivite_id)
    fresh = ctx.store.proposals.proposal(p.id)
    assert fresh is not None
    if fresh.status is not ProposalStatus.PENDING:
        already_decided(ctx, fresh)
        return None
    attachment = ctx.store.opsn.open_attachment(fresh.collectivite_id)
    if (
        attachment is None
        or attachment.opsn_id != fresh.opsn_id
        or attachment.status is not AttachmentStatus.ACCEPTED
    ):
        access.refuse(
            ctx,
            ctx._("{opsn} n’accompagne plus {name} : cette proposition n’est plus valable.").format(
                opsn=opsn.name, name=fresh.collectivite_name
            ),
        )
        return None
    return fresh, opsn


def already_decided(ctx: Ctx, p: ProposalInfo) -> None:
    _ = ctx._
    who = name_of(ctx, p.decided_by)
    when = local_date(ctx, p.decided_at) if p.decided_at else ""
    title = proposal_title(ctx.ref, p)
    if p.status is ProposalStatus.ACCEPTED:
        text = _("« {title} » a déjà été ajoutée au plan par {who} le {date}.")
    else:
        text = _("« {title} » a déjà été écartée par {who} le {date}.")
    ctx.toast(_("Déjà traité."))
    ctx.say(text.format(title=title, who=who, date=when), edit=True)


@router.button(ProposalAccept)
def accept(ctx: Ctx, event: Event, data: ProposalAccept) -> None:
    found = still_pending(ctx, data.proposal_id)
    if found is None:
        return
    p, opsn = found
    if flow_of(ctx.state) == Flow.PUSH_REASON.value:
        set_flow(ctx.state, Flow.IDLE)
    decided = ctx.store.proposals.decide(
        p.id, accepted=True, reason="", user_id=ctx.user.id, now=ctx.now
    )
    assert decided  # the collectivité is locked and the proposal was pending
    item = add_to_plan(ctx, p, opsn)
    ctx.store.proposals.link_item(p.id, item.id)
    tell_referents(ctx, p, opsn, accepted=True, reason="")
    ctx.say(
        ctx._(
            "✅ « {title} » est dans votre plan d’actions, marquée « Proposée par {opsn} ». "
            "Retrouvez-la dans /plan."
        ).format(title=proposal_title(ctx.ref, p), opsn=opsn.name),
        edit=True,
    )


@router.button(ProposalDecline)
def decline(ctx: Ctx, event: Event, data: ProposalDecline) -> None:
    found = still_pending(ctx, data.proposal_id)
    if found is None:
        return
    p, opsn = found
    set_flow(ctx.state, Flow.PUSH_REASON, proposal=p.id)
    ctx.say(
        ctx._(
            "Pourquoi « {title} » ne vous convient-elle pas ? Tapez un court motif ({n} "
            "caractères au plus), ou touchez « Sans motif ». {opsn} verra votre réponse."
        ).format(title=proposal_title(ctx.ref, p), n=REASON_MAX, opsn=opsn.name),
        ((button(ctx._("Sans motif"), ProposalNoReason(p.id)),),),
    )


@router.button(ProposalNoReason)
def no_reason(ctx: Ctx, event: Event, data: ProposalNoReason) -> None:
    declined(ctx, data.proposal_id, "")


@router.flow(Flow.PUSH_REASON)
def typed_reason(ctx: Ctx, event: Event) -> None:
    proposal_id = ctx.state.get("proposal")
    if not isinstance(proposal_id, int):
        set_flow(ctx.state, Flow.IDLE)
        ctx.say(ctx._("Ce bouton n’est plus valable."))
        return
    reason = one_line(event.text)
    if len(reason) > REASON_MAX:
        ctx.say(
            ctx._(
                "Ce motif est trop long ({length} caractères) : {n} au plus. Raccourcissez-le, "
                "ou touchez « Sans motif »."
            ).format(length=len(reason), n=REASON_MAX),
            ((button(ctx._("Sans motif"), ProposalNoReason(proposal_id)),),),
        )
        return
    declined(ctx, proposal_id, reason)


def declined(ctx: Ctx, proposal_id: int, reason: str) -> None:
    if flow_of(ctx.state) == Flow.PUSH_REASON.value:
        set_flow(ctx.state, Flow.IDLE)
    found = still_pending(ctx, proposal_id)
    if found is None:
        return
    p, opsn = found
    decided = ctx.store.proposals.decide(
        p.id, accepted=False, reason=reason, user_id=ctx.user.id, now=ctx.now
    )
    assert decided  # the collectivité is locked and the proposal was pending
    tell_referents(ctx, p, opsn, accepted=False, reason=reason)
    ctx.say(
        ctx._(
            "C’est noté : « {title} » n’est pas ajoutée à votre plan (/plan). {opsn} est prévenu."
        ).format(title=proposal_title(ctx.ref, p), opsn=opsn.name)
    )


def tell_referents(
    ctx: Ctx, p: ProposalInfo, opsn: OpsnInfo, *, accepted: bool, reason: str
) -> None:
    """Every referent of the OPSN learns the outcome once (one outbox key per proposal and person)."""
    person = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        title = proposal_title(ctx.ref.translated(tr.locale), p)
        if accepted:
            return Reply(
                tr.gettext(
                    "✅ {name} a ajouté à son plan d’actions votre proposition « {title} » "
                    "(réponse de {person})."
                ).format(name=p.collectivite_name, title=title, person=person)
            )
        text = tr.gettext(
            "{name} n’a pas retenu votre proposition « {title} » (réponse de {person})."
        ).format(name=p.collectivite_name, title=title, person=person)
        text += "\n" + (
            tr.gettext("Motif : {reason}").format(reason=reason)
            if reason
            else tr.gettext("Aucun motif donné.")
        )
        return Reply(text)

    for uid in ctx.store.opsn.referent_ids(opsn.id):
        ctx.notify(uid, f"push-outcome:{p.id}:{uid}", render)
