"""Tchap's pacing for bots: about one call per second per room after a short burst, and a global
budget as the server counts it (`bot.pacing.CompletionWindow`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.pacing import CompletionWindow


class RoomPacing:
    """About `rate` sends per second per room after a burst of `burst`, and `global_rate` overall."""

    def __init__(self, rate: float, burst: int, global_rate: int) -> None:
        self.interval = 1.0 / rate
        self.slack = (max(burst, 1) - 1) * self.interval
        self._due: dict[str, float] = {}  # theoretical arrival time per room (GCRA)
        self._window = CompletionWindow(global_rate, 1.0)

    @asynccontextmanager
    async def slot(self, room_id: str) -> AsyncIterator[None]:
        now = time.monotonic()
        due = max(self._due.get(room_id, now), now)
        self._due[room_id] = due + self.interval
        if len(self._due) > 10_000:  # forget rooms idle for long
            self._due = {r: t for r, t in self._due.items() if t > now}
        wait = due - self.slack - now
        if wait > 0:
            await asyncio.sleep(wait)
        async with self._window.slot():
            yield
