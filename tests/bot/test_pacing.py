"""CompletionWindow: no `period` window may hold more than `limit` sends, however long each takes."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.pacing import CompletionWindow


async def test_a_send_starts_only_when_the_oldest_of_the_last_limit_has_been_done_for_a_period() -> (
    None
):
    window = CompletionWindow(limit=3, period=0.2)
    spans: list[tuple[float, float]] = []

    async def send(duration: float) -> None:
        async with window.slot():
            start = time.monotonic()
            await asyncio.sleep(duration)
            spans.append((start, time.monotonic()))

    # Uneven durations: a slow send must hold its slot until it is done, plus the period.
    await asyncio.gather(*(send(d) for d in (0.15, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01)))
    spans.sort()
    ends = sorted(end for _start, end in spans)
    for index, (start, _end) in enumerate(spans):
        finished_before = [end for end in ends if end + 0.2 <= start + 1e-3]
        in_window = index - len(finished_before)
        assert in_window < 3, (index, spans)
    assert spans[3][0] - min(end for _s, end in spans[:3]) >= 0.2 - 1e-3


def test_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        CompletionWindow(0)
