"""Joining a team: single-use invitation links ("/start inv_<token>") and join requests ("jr" buttons).

An invitation is a random 192-bit token valid 7 days and consumed by one conditional UPDATE, so the same
link opened twice (or by two people at once) lets exactly one person in. Wrong payloads are counted per
user in the database (see `dialogs.access.payload_blocked`).
"""

from __future__ import annotations

from datetime import timedelta

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.privacy.texts import short_notice
from dialogs.questionnaire.buttons import QuestionnaireMenu
from dialogs.records import InvitationKind, JoinRequestInfo, JoinRequestStatus, Role
from dialogs.replies import Reply
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.team.buttons import FunctionAsk, JoinAccept, JoinRefuse, TeamInvite
from dialogs.team.functions import welcome_rows
from dialogs.team.people import deep_link, local_date, name_of, new_token, token_from
from dialogs.ui import button

router = Router()

INVITATION_PREFIX = "inv_"
INVITATION_VALIDITY = timedelta(days=7)


@router.button(TeamInvite)
def create_invitation(ctx: Ctx, event: Event, data: TeamInvite) -> None:
    member = access.require_admin(ctx)
    if member is None:
        return
    _ = ctx._
    token = new_token()
    expires = ctx.now + INVITATION_VALIDITY
    ctx.store.people.create_invitation(
        token=token,
        kind=InvitationKind.MEMBER,
        collectivite_id=member.collectivite.id,
        opsn_id=None,
        created_by=ctx.user.id,
        expires_at=expires,
        now=ctx.now,
    )
    link = deep_link(ctx, INVITATION_PREFIX + token)
    ctx.say(
        ui.fmt(
            _(
                "Voici un lien d’invitation pour rejoindre l’équipe de {name}. Il ne sert qu’une fois et "
                "reste valable jusqu’au {date}. Envoyez-le à la personne à inviter (par courriel ou SMS) :"
            ),
            name=member.collectivite.name,
            date=local_date(ctx, expires),
        )
    )
    ctx.say(link)


@router.deep_link(INVITATION_PREFIX)
def open_invitation(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if access.payload_blocked(ctx):
        return
    token = token_from(event.text, INVITATION_PREFIX)
    invitation = ctx.store.people.invitation(token) if token else None
    if (
        invitation is None
        or invitation.kind != InvitationKind.MEMBER
        or invitation.collectivite_id is None
    ):
        access.payload_failed(
            ctx,
            _(
                "Ce lien d’invitation n’est pas valable. Vérifiez qu’il a été copié en entier, ou "
                "demandez-en un nouveau à un administrateur de votre collectivité."
            ),
        )
        return
    cid = invitation.collectivite_id
    already = access.membership_in(ctx, cid)
    if already is not None:
        ctx.say(
            ui.fmt(
                _("Vous faites déjà partie de l’équipe de {name}. Tapez /equipe pour la voir."),
                name=already.collectivite.name,
            )
        )
        return
    if invitation.used_by is not None or invitation.expires_at <= ctx.now:
        access.payload_failed(
            ctx,
            _(
                "Ce lien d’invitation a déjà servi ou a expiré (il vaut 7 jours, pour une seule "
                "personne). Demandez-en un nouveau à un administrateur de votre collectivité."
            ),
        )
        return
    # A person may belong to several collectivités: joining one leaves the others as they are.
    ctx.store.people.lock_collectivite(cid)
    if not ctx.store.people.use_invitation(invitation.token, ctx.user.id, ctx.now):
        access.payload_failed(
            ctx, _("Ce lien d’invitation vient d’être utilisé par une autre personne.")
        )
        return
    ctx.store.people.add_member(cid, ctx.user.id, Role.MEMBER, ctx.now)
    ctx.store.people.cancel_join_requests(ctx.user.id, ctx.now, cid)
    set_flow(ctx.state, Flow.IDLE.value)
    joined = ctx.member(refresh=True)  # the team just joined is now the active one
    assert joined is not None
    name = joined.collectivite.name
    person = ctx.user.display_name or _("Une personne")
    if invitation.created_by is not None and invitation.created_by != ctx.user.id:

        def render(tr: Translator) -> Reply:
            return Reply(
                ui.fmt(
                    tr.gettext("{person} a rejoint l’équipe de {name} grâce à votre invitation."),
                    person=person,
                    name=name,
                )
            )

        ctx.notify(invitation.created_by, f"invitation-used:{invitation.id}", render)
    ctx.say(
        ui.fmt(
            _(
                "Bienvenue dans l’équipe de {name} ! Quelle est votre fonction dans la collectivité ?"
            ),
            name=name,
        )
        + "\n\n"
        + short_notice(ctx.tr, ctx.config.retention_months),
        welcome_rows(ctx.tr),
    )


@router.button(JoinAccept)
def accept_join_request(ctx: Ctx, event: Event, data: JoinAccept) -> None:
    decide_join_request(ctx, data.request_id, accepted=True)


@router.button(JoinRefuse)
def refuse_join_request(ctx: Ctx, event: Event, data: JoinRefuse) -> None:
    decide_join_request(ctx, data.request_id, accepted=False)


def decide_join_request(ctx: Ctx, request_id: int, *, accepted: bool) -> None:
    """Any administrator of that collectivité may decide, whichever collectivité is active for
    them; the first decision wins."""
    _ = ctx._
    if access.require_member(ctx) is None:
        return
    request = ctx.store.people.join_request(request_id)
    if request is None:
        access.refuse(
            ctx, _("Cette demande concerne une autre collectivité : vous ne pouvez pas y répondre.")
        )
        return
    member = access.require_admin_of(ctx, request.collectivite_id)
    if member is None:
        return
    cid = member.collectivite.id
    ctx.store.people.lock_collectivite(cid)
    request = ctx.store.people.join_request(request.id)
    assert request is not None
    requester = name_of(ctx, request.user_id)
    if request.status != JoinRequestStatus.PENDING:
        _already_decided(ctx, request, requester)
        return
    if accepted and ctx.store.people.membership_in(request.user_id, cid) is not None:
        ctx.store.people.decide_join_request(
            request.id, JoinRequestStatus.CANCELLED, ctx.user.id, ctx.now
        )
        ctx.say(
            ui.fmt(_("{person} fait déjà partie de l’équipe : rien à faire."), person=requester),
            edit=True,
        )
        return
    decision = JoinRequestStatus.ACCEPTED if accepted else JoinRequestStatus.REFUSED
    if not ctx.store.people.decide_join_request(request.id, decision, ctx.user.id, ctx.now):
        fresh = ctx.store.people.join_request(request.id)
        assert fresh is not None
        _already_decided(ctx, fresh, requester)
        return
    name = member.collectivite.name
    admin = ctx.user.display_name
    months = ctx.config.retention_months
    if accepted:
        ctx.store.people.add_member(cid, request.user_id, Role.MEMBER, ctx.now)

        def render(tr: Translator) -> Reply:
            return Reply(
                ui.fmt(
                    tr.gettext(
                        "Bonne nouvelle : {person} a accepté votre demande. Vous faites maintenant partie "
                        "de l’équipe de {name}. Quelle est votre fonction dans la collectivité ?"
                    ),
                    person=admin,
                    name=name,
                )
                + "\n\n"
                + short_notice(tr, months),
                (
                    (button(tr.gettext("Indiquer ma fonction"), FunctionAsk()),),
                    (button(tr.gettext("▶ Questionnaire"), QuestionnaireMenu()),),
                ),
            )

        ctx.say(
            ui.fmt(_("✅ {person} fait maintenant partie de l’équipe."), person=requester),
            edit=True,
        )
    else:

        def render(tr: Translator) -> Reply:
            return Reply(
                ui.fmt(
                    tr.gettext(
                        "Votre demande pour rejoindre l’équipe de {name} n’a pas été acceptée. S’il s’agit "
                        "d’une erreur, contactez directement la collectivité."
                    ),
                    name=name,
                )
            )

        ctx.say(ui.fmt(_("Demande de {person} refusée."), person=requester), edit=True)
    ctx.notify(request.user_id, f"join-decision:{request.id}", render)


def _already_decided(ctx: Ctx, request: JoinRequestInfo, requester: str) -> None:
    _ = ctx._
    who = name_of(ctx, request.decided_by)
    when = local_date(ctx, request.decided_at) if request.decided_at else ""
    if request.status == JoinRequestStatus.ACCEPTED:
        text = _("Cette demande de {person} a déjà été acceptée par {who} le {date}.")
    elif request.status == JoinRequestStatus.REFUSED:
        text = _("Cette demande de {person} a déjà été refusée par {who} le {date}.")
    else:
        text = _("Cette demande de {person} n’est plus d’actualité.")
    ctx.toast(_("Déjà traité."))
    ctx.say(text.format(person=requester, who=who, date=when), edit=True)
