"""Pending invitations in /equipe: who created each one and when it expires; an administrator may
revoke one (its link then stops working, as if it had expired)."""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.records import MembershipInfo
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.team.buttons import TeamRevokeInvitation
from dialogs.team.people import local_date, name_of
from dialogs.ui import button

router = Router()

MAX_SHOWN = 10  # invitations listed (and offered for revoking) in /equipe


def pending_section(ctx: Ctx, member: MembershipInfo) -> tuple[list[str], list[tuple[Button, ...]]]:
    """Lines listing the pending invitations, and (for administrators) one revoke button each."""
    _ = ctx._
    pending = ctx.store.people.pending_invitations(member.collectivite.id, ctx.now)
    if not pending:
        return [], []
    lines = ["", _("Invitations en attente :")]
    rows: list[tuple[Button, ...]] = []
    for number, invitation in enumerate(pending[:MAX_SHOWN], start=1):
        lines.append(
            _("{n}. créée par {person}, valable jusqu’au {date}").format(
                n=number,
                person=name_of(ctx, invitation.created_by),
                date=local_date(ctx, invitation.expires_at),
            )
        )
        if member.is_admin:
            rows.append(
                (
                    button(
                        _("Révoquer l’invitation {n}").format(n=number),
                        TeamRevokeInvitation(invitation.id),
                    ),
                )
            )
    if len(pending) > MAX_SHOWN:
        lines.append(_("… et {count} autres.").format(count=len(pending) - MAX_SHOWN))
    return lines, rows


@router.button(TeamRevokeInvitation)
def revoke(ctx: Ctx, event: Event, data: TeamRevokeInvitation) -> None:
    member = access.require_admin(ctx)
    if member is None:
        return
    _ = ctx._
    if not ctx.store.people.revoke_invitation(data.invitation_id, member.collectivite.id, ctx.now):
        access.refuse(
            ctx,
            _(
                "Cette invitation n’est plus en attente (déjà utilisée, expirée ou révoquée), ou "
                "elle concerne une autre collectivité."
            ),
        )
        return
    ctx.say(_("Invitation révoquée : son lien ne fonctionne plus."), edit=True)
