"""A send budget that holds as the receiver counts, whatever delays the sender suffers.

Pacing by the time a slot is *taken* (a plain sliding window of start times) is fooled by
stalls between taking the slot and the request reaching the server (a garbage collection, a busy
event loop, a slow connection): the delayed requests arrive bunched with the next ones and the server
sees 31 in its one-second window — measured with the fake Bot API, a few 429 per thousand. Here a
send occupies its slot from the moment it starts until `period` after it *completes*; the server
received it somewhere in between, so no window of `period` seconds on the server can hold more than
`limit` of our sends. The Telegram flood control uses it for the bot's global budget; the outbox
dispatcher also wraps its deliveries in one, to cap its own share (several dispatcher processes).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress


class CompletionWindow:
    def __init__(self, limit: int, period: float = 1.0) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("limit ≥ 1 and period > 0 required")
        self.limit = limit
        self.period = period
        self._in_flight = 0
        self._done: deque[float] = deque()  # completion times, in order
        self._changed = asyncio.Condition()

    def _busy(self, now: float) -> int:
        while self._done and self._done[0] <= now - self.period:
            self._done.popleft()
        return self._in_flight + len(self._done)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._changed:
            while True:
                now = time.monotonic()
                if self._busy(now) < self.limit:
                    break
                wait = self._done[0] + self.period - now if self._done else None
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
            self._in_flight += 1
        try:
            yield
        finally:
            async with self._changed:
                self._in_flight -= 1
                self._done.append(time.monotonic())
                self._changed.notify_all()
