"""The `/telegram/webhook` route of the FastAPI app (webhook mode).

Telegram signs every delivery with the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`;
anything else gets 403 (compared in constant time). The update is processed right away; the route
answers 200 once it is handled, or after `ack_after` seconds while processing goes on (so a long
flood wait never makes Telegram time out and redeliver). An update whose processing failed gets 500:
Telegram redelivers it, and the service's dedupe on update_id keeps the effect single.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response

from bot.telegram.options import WEBHOOK_PATH

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Feed = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]


def webhook_router(feed: Feed, secret: str, *, ack_after: float = 5.0) -> APIRouter:
    if not secret:
        raise ValueError("a webhook without a secret would accept anyone's updates")
    expected = secret.encode()
    running: set[asyncio.Task[None]] = set()
    router = APIRouter()

    def finished(task: asyncio.Task[None]) -> None:
        running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook update failed", exc_info=task.exception())

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            update = await request.json()
        except ValueError:
            return Response(status_code=400)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return Response(status_code=400)
        task = asyncio.create_task(feed(update))
        running.add(task)
        task.add_done_callback(finished)
        done, _pending = await asyncio.wait({task}, timeout=ack_after)
        if task in done and (task.cancelled() or task.exception() is not None):
            return Response(status_code=500)
        return Response(status_code=200)

    return router
