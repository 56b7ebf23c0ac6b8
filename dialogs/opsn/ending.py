"""The end of an attachment: a collectivité withdraws its pending request, or either side ends an
accepted one (after a confirm step), which locks level 2 again.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.opsn.buttons import (
    AttachmentCancel,
    AttachmentEnd,
    AttachmentEndConfirmed,
    AttachmentWithdraw,
)
from dialogs.opsn.profile import load_attachment
from dialogs.records import AttachmentInfo, AttachmentStatus
from dialogs.replies import Reply
from dialogs.router import Router
from dialogs.ui import confirm_rows

router = Router()


class Side(StrEnum):
    """Who may end an attachment: an administrator of the collectivité or a referent of the OPSN."""

    COLLECTIVITE = "collectivite"
    OPSN = "opsn"


def _side(ctx: Ctx, attachment: AttachmentInfo) -> Side | None:
    member = ctx.member()
    if member is not None and member.collectivite.id == attachment.collectivite_id:
        return Side.COLLECTIVITE if member.is_admin else None
    if any(o.id == attachment.opsn_id for o in access.referent_of(ctx)):
        return Side.OPSN
    return None


@router.button(AttachmentWithdraw)
def withdraw(ctx: Ctx, event: Event, data: AttachmentWithdraw) -> None:
    _ = ctx._
    attachment = load_attachment(ctx, data.attachment_id)
    if attachment is None:
        return
    member = access.require_admin(ctx)
    if member is None:
        return
    if member.collectivite.id != attachment.collectivite_id:
        access.refuse(ctx, _("Cette demande concerne une autre collectivité."))
        return
    ctx.store.people.lock_collectivite(attachment.collectivite_id)
    if not ctx.store.opsn.close_attachment(
        attachment.id, AttachmentStatus.WITHDRAWN, ctx.user.id, ctx.now
    ):
        ctx.toast(_("Déjà traité."))
        ctx.say(
            _("Cette demande n’est plus en attente : /rattachement pour voir où vous en êtes."),
            edit=True,
        )
        return
    name = member.collectivite.name

    def render(tr: Translator) -> Reply:
        return Reply(tr.gettext("{name} a retiré sa demande de rattachement.").format(name=name))

    for uid in ctx.store.opsn.referent_ids(attachment.opsn_id):
        ctx.notify(uid, f"attach-withdrawn:{attachment.id}:{uid}", render)
    ctx.say(_("Demande retirée. Vous pouvez en envoyer une autre avec /rattachement."), edit=True)


@router.button(AttachmentEnd)
def ask_to_end(ctx: Ctx, event: Event, data: AttachmentEnd) -> None:
    end(ctx, data.attachment_id, confirmed=False)


@router.button(AttachmentEndConfirmed)
def end_confirmed(ctx: Ctx, event: Event, data: AttachmentEndConfirmed) -> None:
    end(ctx, data.attachment_id, confirmed=True)


def end(ctx: Ctx, attachment_id: int, *, confirmed: bool) -> None:
    """Unconfirmed: asks to confirm; confirmed: ends the attachment and tells both sides."""
    _ = ctx._
    attachment = load_attachment(ctx, attachment_id)
    if attachment is None:
        return
    side = _side(ctx, attachment)
    if side is None:
        access.refuse(
            ctx,
            _(
                "Seuls les administrateurs de la collectivité et les référents de l’OPSN concernés "
                "peuvent mettre fin à ce rattachement."
            ),
        )
        return
    status = ctx.store.opsn.collectivite_status(attachment.collectivite_id)
    opsn = ctx.store.opsn.opsn(attachment.opsn_id)
    assert status is not None and opsn is not None
    name = status.collectivite.name
    if not confirmed:
        ctx.say(
            _(
                "Mettre fin à l’accompagnement de {name} par {opsn} ? Le niveau 2 sera de nouveau "
                "verrouillé (les réponses sont conservées)."
            ).format(name=name, opsn=opsn.name),
            confirm_rows(
                ctx.tr,
                AttachmentEndConfirmed(attachment.id),
                AttachmentCancel(),
                yes_label=_("Oui, mettre fin"),
                no_label=_("Non"),
            ),
            edit=True,
        )
        return
    ctx.store.people.lock_collectivite(attachment.collectivite_id)
    if not ctx.store.opsn.close_attachment(
        attachment.id, AttachmentStatus.ENDED, ctx.user.id, ctx.now
    ):
        ctx.toast(_("Déjà traité."))
        ctx.say(_("Ce rattachement n’est plus en cours."), edit=True)
        return
    ctx.member(refresh=True)
    by = opsn.name if side is Side.OPSN else name

    def render(tr: Translator) -> Reply:
        return Reply(
            tr.gettext(
                "{by} a mis fin à l’accompagnement de {name} par {opsn}. Le niveau 2 du "
                "questionnaire est de nouveau verrouillé."
            ).format(by=by, name=name, opsn=opsn.name)
        )

    targets = {m.user_id for m in ctx.store.people.members(attachment.collectivite_id)}
    targets |= set(ctx.store.opsn.referent_ids(attachment.opsn_id))
    for uid in sorted(targets - {ctx.user.id}):
        ctx.notify(uid, f"attach-ended:{attachment.id}:{uid}", render)
    ctx.say(
        _("L’accompagnement de {name} par {opsn} est terminé.").format(name=name, opsn=opsn.name),
        edit=True,
    )
