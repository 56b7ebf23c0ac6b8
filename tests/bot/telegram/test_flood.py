"""Flood control against the fake's flood limits (Telegram's defaults), with both libraries' clients."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import pytest

from bot.telegram.api import BotApi, FloodWait, Transient
from bot.telegram.flood import CHAT_BURST, CHAT_RATE, GLOBAL_PER_SECOND, FloodControl
from tests.bot.telegram.conftest import fast_flood, library_api
from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture
async def strict_fake() -> AsyncIterator[FakeBotApi]:
    """The fake at Telegram's limits, the ones our defaults mirror."""
    async with FakeBotApi(
        enforce_flood_limits=True,
        flood_chat_rate=CHAT_RATE,
        flood_chat_burst=CHAT_BURST,
        flood_global_per_second=GLOBAL_PER_SECOND,
    ) as server:
        yield server


async def _send(flood: FloodControl, api: BotApi, chat: int, text: str) -> int:
    return await flood.call(chat, lambda: api.send_message(chat, text, ()))


async def test_defaults_pace_one_chat_below_the_limit(
    strict_fake: FakeBotApi, library: str
) -> None:
    strict_fake.add_user(1)
    strict_fake.add_user(2)
    flood = FloodControl()
    count = CHAT_BURST + 2  # unpaced, the last two would be refused
    async with library_api(library, strict_fake) as api:
        started = time.monotonic()
        burst = [asyncio.create_task(_send(flood, api, 1, f"m{i}")) for i in range(count)]
        await _send(flood, api, 2, "other chat")
        chat1_before_chat2 = len(strict_fake.messages(1))
        await asyncio.gather(*burst)
        elapsed = time.monotonic() - started
    # Paced below the limit; one 429 is tolerated when a loaded machine delays one request.
    assert strict_fake.stats.flood_limited <= 1
    # Chat 2 does not queue behind chat 1: its message is through while chat 1's paced tail waits
    # (an order, not a timing: a loaded machine slows both alike).
    assert chat1_before_chat2 < count
    assert elapsed >= 1.9  # after the burst, about one message per second
    assert [m.text for m in strict_fake.messages(1)] == [f"m{i}" for i in range(count)]


async def test_defaults_respect_the_global_budget(strict_fake: FakeBotApi, library: str) -> None:
    chats = range(1, GLOBAL_PER_SECOND + 6)  # unpaced, five would be refused
    for chat in chats:
        strict_fake.add_user(chat)
    flood = FloodControl()
    async with library_api(library, strict_fake) as api:
        started = time.monotonic()
        await asyncio.gather(*(_send(flood, api, chat, "rappel") for chat in chats))
        elapsed = time.monotonic() - started
    assert strict_fake.stats.flood_limited <= 2  # tolerance for a loaded machine, as above
    assert elapsed >= 0.9
    assert all(len(strict_fake.messages(chat)) == 1 for chat in chats)


async def test_429_waits_retry_after_then_succeeds(strict_fake: FakeBotApi, library: str) -> None:
    strict_fake.add_user(1)
    strict_fake.fail_next(1, status=429, retry_after=1, methods=["sendMessage"])
    flood = FloodControl()
    async with library_api(library, strict_fake) as api:
        started = time.monotonic()
        await _send(flood, api, 1, "après la pause")
        elapsed = time.monotonic() - started
    assert flood.flood_waits == 1
    assert elapsed >= 1.0
    assert [m.text for m in strict_fake.messages(1)] == ["après la pause"]


async def test_5xx_and_timeouts_are_retried_with_backoff(fake: FakeBotApi, library: str) -> None:
    fake.add_user(1)
    fake.fail_next(2, status=500, methods=["sendMessage"])
    fake.fail_next(1, status=503, methods=["sendMessage"])
    flood = fast_flood(backoff_base=0.02)
    async with library_api(library, fake, timeout=0.5) as api:
        await _send(flood, api, 1, "malgré les erreurs")
        assert flood.transient_retries == 3
        fake.set_latency(1.0, ["sendMessage"])  # the client gives up after 0.5 s
        slow = asyncio.create_task(_send(flood, api, 1, "lent"))
        await asyncio.sleep(0.7)
        fake.set_latency(0, ["sendMessage"])
        await slow
    assert flood.transient_retries >= 4
    texts = [m.text for m in fake.messages(1)]
    assert texts[0] == "malgré les erreurs" and "lent" in texts


async def test_gives_up_loudly_after_the_budget(
    fake: FakeBotApi, library: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake.add_user(1)
    fake.fail_next(10, status=500, methods=["sendMessage"])
    fake.fail_next(1, status=429, retry_after=3600, methods=["sendMessage"])
    flood = FloodControl(max_transient_retries=2, backoff_base=0.01)
    with caplog.at_level(logging.ERROR, logger="bot.telegram.flood"):
        async with library_api(library, fake) as api:
            with pytest.raises(Transient):
                await _send(flood, api, 1, "perdu ?")
            fake.fail_next(0)
    assert any("failed 3 times" in r.getMessage() for r in caplog.records)


async def test_an_absurd_retry_after_is_not_waited(
    fake: FakeBotApi, library: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake.add_user(1)
    fake.fail_next(1, status=429, retry_after=3600, methods=["sendMessage"])
    flood = FloodControl(max_retry_after=60)
    with caplog.at_level(logging.ERROR, logger="bot.telegram.flood"):
        async with library_api(library, fake) as api:
            with pytest.raises(FloodWait) as raised:
                await _send(flood, api, 1, "plus tard")
    assert raised.value.retry_after == 3600
    assert any("giving up" in r.getMessage() for r in caplog.records)
