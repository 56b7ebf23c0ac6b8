"""Outbound flood control shared by every message the bot sends (replies and outbox alike).

Telegram's limits are undocumented beyond the Bot FAQ: about 30 messages per second overall and about
one message per second per chat, short bursts tolerated. We pace before sending — for the global
budget a window where each send holds its slot from its start until a second after it completes
(`bot.pacing.CompletionWindow`: the server's one-second window can then never see more than the
limit, whatever stalls the sender suffers), and an aiolimiter leaky bucket per chat (burst 3, then
1/s) — so 429s stay rare; when one comes anyway, that chat waits `retry_after` and the call is
retried. Timeouts and 5xx are retried with bounded exponential backoff.
Nothing is dropped silently: once the budget is spent the error is logged and re-raised.

The defaults match the fake Bot API server of the tests (tests/helpers/fake_bot_api/faults.py).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from aiolimiter import AsyncLimiter

from bot.pacing import CompletionWindow
from bot.telegram.api import FloodWait, Transient

log = logging.getLogger(__name__)

T = TypeVar("T")

GLOBAL_PER_SECOND = 30
CHAT_RATE = 1.0  # messages per second in one chat
CHAT_BURST = 3
# The completion window already absorbs sender-side stalls, so the global budget needs only a little
# headroom for clock skew; per chat, arrival times wander more (replies come in bursts of 2–4).
HEADROOM = 0.02
CHAT_HEADROOM = 0.1
MAX_CHAT_LIMITERS = 1024  # idle per-chat buckets are dropped beyond this many


class FloodControl:
    """One per bot process: pace sends, honour 429s per chat, retry transient failures."""

    def __init__(
        self,
        *,
        global_per_second: int = GLOBAL_PER_SECOND,
        chat_rate: float = CHAT_RATE,
        chat_burst: int = CHAT_BURST,
        headroom: float = HEADROOM,
        max_flood_retries: int = 10,
        max_transient_retries: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 600.0,
    ) -> None:
        self.chat_rate = chat_rate * (1 - CHAT_HEADROOM)
        self.chat_burst = chat_burst
        self.max_flood_retries = max_flood_retries
        self.max_transient_retries = max_transient_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._global = CompletionWindow(global_per_second, 1.0 + headroom)
        self._chats: dict[int, AsyncLimiter] = {}
        self._paused_until: dict[int, float] = {}
        self.flood_waits = 0  # 429s seen, for logs and tests
        self.transient_retries = 0

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) >= MAX_CHAT_LIMITERS:
                self._drop_idle()
            limiter = AsyncLimiter(self.chat_burst, self.chat_burst / self.chat_rate)
            self._chats[chat_id] = limiter
        return limiter

    def _drop_idle(self) -> None:
        """Forget chats whose bucket has fully drained: they behave exactly like new ones."""
        for chat_id, limiter in list(self._chats.items()):
            if limiter.has_capacity(self.chat_burst):
                del self._chats[chat_id]
        now = time.monotonic()
        for chat_id, until in list(self._paused_until.items()):
            if until <= now:
                del self._paused_until[chat_id]

    def pause(self, chat_id: int, seconds: float) -> None:
        """Telegram said "retry after": hold every send to this chat until then."""
        until = time.monotonic() + seconds
        self._paused_until[chat_id] = max(until, self._paused_until.get(chat_id, 0.0))

    @asynccontextmanager
    async def slot(self, chat_id: int, *, counts: bool = True) -> AsyncIterator[None]:
        """Wait for this chat's pause to end, then (for messages that count) hold a slot while the
        call runs: the global budget counts it until a second after it completes."""
        while (delay := self._paused_until.get(chat_id, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        if not counts:
            yield
            return
        await self._chat_limiter(chat_id).acquire()
        async with self._global.slot():
            yield

    async def call(
        self,
        chat_id: int,
        send: Callable[[], Awaitable[T]],
        *,
        counts: bool = True,
        what: str = "sendMessage",
    ) -> T:
        """Run one Bot API call under the limits, retrying 429s, timeouts and 5xx."""
        floods = transients = 0
        while True:
            try:
                async with self.slot(chat_id, counts=counts):
                    return await send()
            except FloodWait as exc:
                floods += 1
                self.flood_waits += 1
                if floods > self.max_flood_retries or exc.retry_after > self.max_retry_after:
                    log.error(
                        "%s to chat %s: still flood-limited, giving up: %s", what, chat_id, exc
                    )
                    raise
                log.warning("%s to chat %s: 429, waiting %ss", what, chat_id, exc.retry_after)
                self.pause(chat_id, exc.retry_after)
            except Transient as exc:
                transients += 1
                self.transient_retries += 1
                if transients > self.max_transient_retries:
                    log.error("%s to chat %s failed %d times: %s", what, chat_id, transients, exc)
                    raise
                delay = min(self.backoff_cap, self.backoff_base * 2 ** (transients - 1))
                delay *= random.uniform(0.8, 1.2)
                log.warning("%s to chat %s: %s, retrying in %.2fs", what, chat_id, exc, delay)
                await asyncio.sleep(delay)
