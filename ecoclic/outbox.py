"""Plugs the outbox dispatcher into `ecoclic serve` (listed in `ecoclic.serve.BACKGROUND_MODULES`).

Notifications for people other than the one talking are queued in the database with the change that
causes them; this task delivers them through the running channel until the server stops. With no
channel configured (web page only) they simply wait in the outbox.
"""

from __future__ import annotations

import logging

from bot.dispatcher import OutboxDispatcher
from bot.telegram.bridge import CHANNEL as TELEGRAM
from ecoclic.serve import BACKGROUND_TASKS, ServeContext

log = logging.getLogger(__name__)


async def outbox_task(ctx: ServeContext) -> None:
    if ctx.delivery is None:
        log.warning("aucun canal de messagerie : les notifications restent en file d’attente")
        return
    dispatcher = OutboxDispatcher(
        ctx.sessions, ctx.delivery, channel=TELEGRAM, owner=ctx.settings.instance
    )
    await dispatcher.run_forever(ctx.stopping)


if outbox_task not in BACKGROUND_TASKS:
    BACKGROUND_TASKS.append(outbox_task)
