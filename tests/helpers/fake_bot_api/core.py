"""The fake's model and request pipeline, independent of HTTP.

Pipeline of one call, in Telegram's order of refusal: latency, injected fault, blocked chat,
flood control, then the method itself (which validates like Telegram and updates the state).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from . import methods_bot, methods_messages
from .errors import BLOCKED, ApiError
from .faults import SEND_METHODS, Faults, FloodLimiter
from .params import Params
from .records import Recorder
from .state import BotState
from .updates import UpdateQueue
from .webhook import WebhookDeliverer

Handler = Callable[["Core", Params], Awaitable[Any]]

_REGISTRY: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in {**methods_bot.METHODS, **methods_messages.METHODS}.items()
}


def lookup(method: str) -> tuple[str, Handler] | None:
    """Canonical name and handler; Bot API method names are case-insensitive."""
    return _REGISTRY.get(method.lower())


class Core:
    def __init__(
        self,
        *,
        token: str,
        bot_username: str,
        bot_first_name: str,
        flood: FloodLimiter | None,
        callback_ttl: float | None,
        webhook_max_attempts: int,
        webhook_retry_delay: float,
        webhook_timeout: float,
    ) -> None:
        self.recorder = Recorder()
        self.state = BotState(token, bot_username, bot_first_name)
        self.queue = UpdateQueue(self.recorder)
        self.faults = Faults()
        self.flood = flood
        self.callback_ttl = callback_ttl
        self.deliverer = WebhookDeliverer(
            self.queue,
            self.recorder,
            self._webhook_error,
            max_attempts=webhook_max_attempts,
            retry_delay=webhook_retry_delay,
            timeout=webhook_timeout,
        )
        self.in_flight = 0
        self.closing = False

    def _webhook_error(self, message: str) -> None:
        self.state.webhook.last_error_date = int(time.time())
        self.state.webhook.last_error_message = message

    async def run(self, name: str, handler: Handler, params: Params) -> Any:
        method = name.lower()
        delay = self.faults.latency(method)
        if delay:
            await asyncio.sleep(delay)
        failure = self.faults.take(method)
        if failure is not None:
            self.recorder.stats.injected_failures += 1
            raise failure
        chat_id = params.values.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self.faults.blocked:
            raise ApiError(403, BLOCKED)
        if self.flood is not None and method in SEND_METHODS and isinstance(chat_id, int):
            try:
                self.flood.admit(chat_id, time.monotonic())
            except ApiError:
                self.recorder.stats.flood_limited += 1
                raise
        return await handler(self, params)
