"""Who may do what: role checks shared by the team and OPSN features, each with a clear refusal.

Every check says why it refuses (and shows a toast when the refusal answers a button), so a person
pressing a button meant for someone else is never left without an answer.
"""

from __future__ import annotations

from datetime import timedelta

from dialogs.context import Ctx
from dialogs.questionnaire.buttons import StartOnboarding
from dialogs.records import MembershipInfo, OpsnInfo
from dialogs.replies import Keyboard
from dialogs.ui import button

# Deep-link payloads (invitations): this many failures within the window block further attempts.
PAYLOAD_MAX_FAILURES = 5
PAYLOAD_WINDOW = timedelta(minutes=15)


def refuse(ctx: Ctx, text: str) -> None:
    ctx.toast(text[:200])
    ctx.say(text)


def register_row(ctx: Ctx) -> Keyboard:
    """« Inscrire ma collectivité »: what someone without a collectivité is offered."""
    return ((button(ctx._("Inscrire ma collectivité"), StartOnboarding()),),)


def require_member(ctx: Ctx) -> MembershipInfo | None:
    """The speaker's membership; None (after saying how to register) when they have none."""
    member = ctx.member()
    if member is None:
        _ = ctx._
        ctx.say(
            _("Il faut d’abord inscrire votre collectivité (ou rejoindre son équipe)."),
            register_row(ctx),
        )
    return member


def membership_in(ctx: Ctx, collectivite_id: int) -> MembershipInfo | None:
    """The speaker's membership in that collectivité, whatever is active: a notification's or a
    reminder's button acts on the collectivité it is about. No query when it is the active one or
    when the person has only one; a former member gets None. The replies then name it."""
    active = ctx.member()
    if active is None:
        return None
    if active.collectivite.id == collectivite_id:
        return active
    if active.memberships < 2:
        return None
    found = ctx.store.people.membership_in(ctx.user.id, collectivite_id)
    if found is not None:
        ctx.about = found
    return found


def require_admin_of(ctx: Ctx, collectivite_id: int) -> MembershipInfo | None:
    """The speaker's membership in that collectivité if they administer it; else a refusal."""
    if require_member(ctx) is None:
        return None
    member = membership_in(ctx, collectivite_id)
    if member is None:
        refuse(
            ctx,
            ctx._("Cette demande concerne une autre collectivité : vous ne pouvez pas y répondre."),
        )
        return None
    return _admin_only(ctx, member)


def require_admin(ctx: Ctx) -> MembershipInfo | None:
    member = require_member(ctx)
    return None if member is None else _admin_only(ctx, member)


def _admin_only(ctx: Ctx, member: MembershipInfo) -> MembershipInfo | None:
    """The membership if it is an administrator's; else the refusal naming the collectivité."""
    if not member.is_admin:
        refuse(
            ctx,
            ctx._(
                "Seuls les administrateurs de {name} peuvent faire cela. Demandez à l’un d’eux (voir /equipe)."
            ).format(name=member.collectivite.name),
        )
        return None
    return member


def is_platform_admin(ctx: Ctx) -> bool:
    return ctx.user.external_id in ctx.config.platform_admins


def require_platform_admin(ctx: Ctx) -> bool:
    if is_platform_admin(ctx):
        return True
    refuse(ctx, ctx._("Cette action est réservée aux administrateurs de la plateforme."))
    return False


def referent_of(ctx: Ctx) -> list[OpsnInfo]:
    return ctx.store.opsn.referent_opsn(ctx.user.id)


def require_referent(ctx: Ctx, opsn_id: int | None = None) -> list[OpsnInfo]:
    """The OPSN the speaker is referent of (only `opsn_id` when given); refuses when none."""
    mine = referent_of(ctx)
    if opsn_id is not None:
        mine = [o for o in mine if o.id == opsn_id]
    if not mine:
        refuse(
            ctx,
            ctx._("Cette action est réservée aux référents de l’OPSN concerné.")
            if opsn_id is not None
            else ctx._(
                "Cette commande est réservée aux référents d’un OPSN. Un référent reçoit son lien "
                "d’accès de l’administrateur de la plateforme."
            ),
        )
    return mine


def level2_available(member: MembershipInfo | None) -> bool:
    """The level-2 gate: open only to a collectivité accompanied by an OPSN (accepted attachment)."""
    return member is not None and member.collectivite.level2_enabled


def payload_blocked(ctx: Ctx) -> bool:
    """Too many wrong invitation payloads lately: refuse politely without even looking."""
    since = ctx.now - PAYLOAD_WINDOW
    if ctx.store.people.payload_failures(ctx.user.id, since) < PAYLOAD_MAX_FAILURES:
        return False
    ctx.say(
        ctx._(
            "Trop de liens non valables en peu de temps. Patientez un quart d’heure, puis "
            "réessayez avec le lien exact que l’on vous a transmis."
        )
    )
    return True


def payload_failed(ctx: Ctx, text: str) -> None:
    ctx.store.people.record_payload_failure(ctx.user.id, ctx.now)
    ctx.say(text)
