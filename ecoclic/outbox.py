"""Plugs the outbox dispatcher into `ecoclic serve` (listed in `ecoclic.serve.BACKGROUND_MODULES`).

Notifications for people other than the one talking are queued in the database with the change that
causes them; this task delivers them through the running channels until the server stops: one
dispatcher per channel (Telegram, Matrix), each claiming only its own rows, each within its
channel's global rate. With no channel configured (web page only) they simply wait in the outbox.

On Telegram the outbox leaves a fifth of the global budget (30 messages/s, shared with live
replies through the channel's flood control) free: at full rate the dispatcher's sends filled the
whole window, and while a reminder tick's 81,000 messages went out every reply to a person talking
to the bot queued behind them (chat round trip p50 42 → 364 ms in `benchmarks/serve_rss.py`).
"""

from __future__ import annotations

import asyncio
import logging

from bot.dispatcher import OutboxDispatcher
from bot.matrix.render import CHANNEL as MATRIX
from ecoclic.serve import BACKGROUND_TASKS, ServeContext

log = logging.getLogger(__name__)

TELEGRAM_OUTBOX_PER_SECOND = 24  # of Telegram's ~30/s: the rest is left to live replies


async def outbox_task(ctx: ServeContext) -> None:
    if not ctx.deliveries:
        log.warning("aucun canal de messagerie : les notifications restent en file d’attente")
        return
    dispatchers = [
        OutboxDispatcher(
            ctx.sessions,
            delivery,
            channel=channel,
            max_per_second=(
                ctx.settings.matrix_global_rate if channel == MATRIX else TELEGRAM_OUTBOX_PER_SECOND
            ),
            owner=ctx.settings.instance,
        )
        for channel, delivery in ctx.deliveries.items()
    ]
    await asyncio.gather(*(d.run_forever(ctx.stopping) for d in dispatchers))


if outbox_task not in BACKGROUND_TASKS:
    BACKGROUND_TASKS.append(outbox_task)
