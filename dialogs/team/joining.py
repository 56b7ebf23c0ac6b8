"""Joining a team: single-use invitation links ("/start inv_<token>") and join requests ("jr" buttons).

An invitation is a random 192-bit token valid 7 days and consumed by one conditional UPDATE, so the same
link opened twice (or by two people at once) lets exactly one person in. Wrong payloads are counted per
user in the database (see `dialogs.access.payload_blocked`).
"""

from __future__ import annotations

from datetime import timedelta

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.ports import JoinRequestInfo, MembershipInfo
from dialogs.replies import Button, Reply
from dialogs.router import Router, button_args
from dialogs.state import Flow, set_flow
from dialogs.team.people import deep_link, local_date, name_of, new_token, token_from

router = Router()

INVITATION_PREFIX = "inv_"
INVITATION_VALIDITY = timedelta(days=7)


async def create_invitation(ctx: Ctx, member: MembershipInfo) -> None:
    """Administrators only (checked by the caller)."""
    _ = ctx._
    token = new_token()
    expires = ctx.now + INVITATION_VALIDITY
    await ctx.store.team.create_invitation(
        token=token,
        kind="member",
        collectivite_id=member.collectivite.id,
        opsn_id=None,
        created_by=ctx.user.id,
        expires_at=expires,
        now=ctx.now,
    )
    link = deep_link(ctx, INVITATION_PREFIX + token)
    ctx.say(
        _(
            "Voici un lien d’invitation pour rejoindre l’équipe de {name}. Il ne sert qu’une fois et "
            "reste valable jusqu’au {date}. Envoyez-le à la personne à inviter (par courriel ou SMS) :"
        ).format(name=member.collectivite.name, date=local_date(ctx, expires))
    )
    ctx.say(link)


@router.deep_link(INVITATION_PREFIX)
async def open_invitation(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if await access.payload_blocked(ctx):
        return
    token = token_from(event.text, INVITATION_PREFIX)
    invitation = await ctx.store.team.invitation(token) if token else None
    if invitation is None or invitation.kind != "member" or invitation.collectivite_id is None:
        await access.payload_failed(
            ctx,
            _(
                "Ce lien d’invitation n’est pas valable. Vérifiez qu’il a été copié en entier, ou "
                "demandez-en un nouveau à un administrateur de votre collectivité."
            ),
        )
        return
    cid = invitation.collectivite_id
    member = await ctx.member()
    if member is not None and member.collectivite.id == cid:
        ctx.say(
            _("Vous faites déjà partie de l’équipe de {name}. Tapez /equipe pour la voir.").format(
                name=member.collectivite.name
            )
        )
        return
    if invitation.used_by is not None or invitation.expires_at <= ctx.now:
        await access.payload_failed(
            ctx,
            _(
                "Ce lien d’invitation a déjà servi ou a expiré (il vaut 7 jours, pour une seule "
                "personne). Demandez-en un nouveau à un administrateur de votre collectivité."
            ),
        )
        return
    if member is not None:
        ctx.say(
            _(
                "Vous faites déjà partie de l’équipe de {name}, et une personne ne peut appartenir "
                "qu’à une collectivité. Quittez d’abord cette équipe (/equipe), puis rouvrez le lien."
            ).format(name=member.collectivite.name)
        )
        return
    await ctx.store.team.lock_collectivite(cid)
    if not await ctx.store.team.use_invitation(invitation.token, ctx.user.id, ctx.now):
        await access.payload_failed(
            ctx, _("Ce lien d’invitation vient d’être utilisé par une autre personne.")
        )
        return
    await ctx.store.team.add_member(cid, ctx.user.id, "member", ctx.now)
    await ctx.store.team.cancel_join_requests(ctx.user.id, ctx.now)
    set_flow(ctx.state, Flow.IDLE.value)
    joined = await ctx.member(refresh=True)
    assert joined is not None
    name = joined.collectivite.name
    person = ctx.user.display_name or _("Une personne")
    if invitation.created_by is not None and invitation.created_by != ctx.user.id:

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext(
                    "{person} a rejoint l’équipe de {name} grâce à votre invitation."
                ).format(person=person, name=name)
            )

        await ctx.notify(invitation.created_by, f"invitation-used:{invitation.id}", render)
    ctx.say(
        _(
            "Bienvenue dans l’équipe de {name} ! Quelle est votre fonction dans la collectivité ?"
        ).format(name=name),
        _function_and_start_rows(ctx),
    )


def _function_and_start_rows(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    from dialogs.team.members import FUNCTIONS

    _ = ctx._
    return (
        tuple(Button(_(label), f"tm:fs:{code}") for code, label in list(FUNCTIONS.items())[:2]),
        (
            *(Button(_(label), f"tm:fs:{code}") for code, label in list(FUNCTIONS.items())[2:]),
            Button(_("Autre"), "tm:fs:autre"),
        ),
        (Button(_("▶ Questionnaire"), "q:menu"),),
    )


@router.button("jr")
async def join_request_button(ctx: Ctx, event: Event) -> None:
    """ "jr:a:<id>" accepts, "jr:r:<id>" refuses; any administrator of that collectivité may decide."""
    _ = ctx._
    args = button_args(event.data)
    if len(args) != 2 or args[0] not in ("a", "r") or not args[1].isdigit():
        access.refuse(ctx, _("Ce bouton n’est plus valable."))
        return
    member = await access.require_admin(ctx)
    if member is None:
        return
    request = await ctx.store.team.join_request(int(args[1]))
    if request is None or request.collectivite_id != member.collectivite.id:
        access.refuse(
            ctx, _("Cette demande concerne une autre collectivité : vous ne pouvez pas y répondre.")
        )
        return
    cid = member.collectivite.id
    await ctx.store.team.lock_collectivite(cid)
    request = await ctx.store.team.join_request(request.id)
    assert request is not None
    requester = await name_of(ctx, request.user_id)
    if request.status != "pending":
        await _already_decided(ctx, request, requester)
        return
    accepted = args[0] == "a"
    if accepted and await ctx.store.membership(request.user_id) is not None:
        await ctx.store.team.decide_join_request(request.id, "cancelled", ctx.user.id, ctx.now)
        ctx.say(
            _("{person} a rejoint une équipe entre-temps : rien à faire.").format(person=requester),
            edit=True,
        )
        return
    if not await ctx.store.team.decide_join_request(
        request.id, "accepted" if accepted else "refused", ctx.user.id, ctx.now
    ):
        fresh = await ctx.store.team.join_request(request.id)
        assert fresh is not None
        await _already_decided(ctx, fresh, requester)
        return
    name = member.collectivite.name
    admin = ctx.user.display_name
    if accepted:
        await ctx.store.team.add_member(cid, request.user_id, "member", ctx.now)

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext(
                    "Bonne nouvelle : {person} a accepté votre demande. Vous faites maintenant partie "
                    "de l’équipe de {name}. Quelle est votre fonction dans la collectivité ?"
                ).format(person=admin, name=name),
                (
                    (Button(tr.gettext("Indiquer ma fonction"), "tm:f"),),
                    (Button(tr.gettext("▶ Questionnaire"), "q:menu"),),
                ),
            )

        ctx.say(
            _("✅ {person} fait maintenant partie de l’équipe.").format(person=requester), edit=True
        )
    else:

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext(
                    "Votre demande pour rejoindre l’équipe de {name} n’a pas été acceptée. S’il s’agit "
                    "d’une erreur, contactez directement la collectivité."
                ).format(name=name)
            )

        ctx.say(_("Demande de {person} refusée.").format(person=requester), edit=True)
    await ctx.notify(request.user_id, f"join-decision:{request.id}", render)


async def _already_decided(ctx: Ctx, request: JoinRequestInfo, requester: str) -> None:
    _ = ctx._
    who = await name_of(ctx, request.decided_by)
    when = local_date(ctx, request.decided_at) if request.decided_at else ""
    if request.status == "accepted":
        text = _("Cette demande de {person} a déjà été acceptée par {who} le {date}.")
    elif request.status == "refused":
        text = _("Cette demande de {person} a déjà été refusée par {who} le {date}.")
    else:
        text = _("Cette demande de {person} n’est plus d’actualité.")
    ctx.toast(_("Déjà traité."))
    ctx.say(text.format(person=requester, who=who, date=when), edit=True)
