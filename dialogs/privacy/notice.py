"""/confidentialite (/privacy): the privacy notice, on demand."""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.privacy.texts import notice
from dialogs.router import Router

router = Router()


@router.command("confidentialite", "privacy", "rgpd")
def privacy_notice(ctx: Ctx, event: Event) -> None:
    ctx.say(notice(ctx.tr, ctx.config.retention_months))
