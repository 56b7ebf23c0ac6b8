"""Who may answer level 2 for a collectivité: its members once an OPSN accompanies it, and the
referents of that OPSN answering for it. Every refusal says why, in a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs import access
from dialogs.context import Ctx
from dialogs.records import AttachmentStatus, CollectiviteInfo, OpsnInfo


@dataclass(frozen=True)
class Answering:
    """The collectivité answered for, and the OPSN when a referent answers for it."""

    collectivite: CollectiviteInfo
    opsn: OpsnInfo | None = None

    @property
    def cid(self) -> int:
        return self.collectivite.id


def locked_text(ctx: Ctx, name: str) -> str:
    return ctx._(
        "Le niveau 2 se débloque quand un OPSN accepte d’accompagner {name}. Tapez "
        "/rattachement pour en faire la demande."
    ).format(name=name)


def answering_for(ctx: Ctx, cid: int) -> Answering | None:
    """The right to answer for collectivité `cid`; None (after a clear refusal) without it."""
    member = ctx.member()
    if member is not None and member.collectivite.id == cid:
        if not access.level2_available(member):
            access.refuse(ctx, locked_text(ctx, member.collectivite.name))
            return None
        return Answering(member.collectivite)
    opsn = _accompanying(ctx, cid)
    if opsn is None:
        access.refuse(
            ctx,
            ctx._(
                "Vous ne pouvez pas répondre pour cette collectivité : seuls ses membres et les "
                "référents de l’OPSN qui l’accompagne le peuvent."
            ),
        )
        return None
    status = ctx.store.opsn.collectivite_status(cid)
    if status is None or not status.collectivite.level2_enabled:
        access.refuse(ctx, ctx._("Le niveau 2 n’est pas débloqué pour cette collectivité."))
        return None
    return Answering(status.collectivite, opsn)


def _accompanying(ctx: Ctx, cid: int) -> OpsnInfo | None:
    """The speaker's OPSN that accompanies `cid` (accepted attachment), if any."""
    mine = {o.id: o for o in access.referent_of(ctx)}
    if not mine:
        return None
    attachment = ctx.store.opsn.open_attachment(cid)
    if attachment is None or attachment.status is not AttachmentStatus.ACCEPTED:
        return None
    return mine.get(attachment.opsn_id)


def as_referent_line(ctx: Ctx, who: Answering) -> str:
    """The reminder a referent sees on every screen where they answer for someone else."""
    if who.opsn is None:
        return ""
    return ctx._("Vous répondez pour {name} en tant que référent de {opsn}.").format(
        name=who.collectivite.name, opsn=who.opsn.name
    )
