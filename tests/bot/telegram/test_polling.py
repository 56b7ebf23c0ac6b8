"""Long polling through the inbox, against the fake Bot API over HTTP: an update confirmed to
Telegram is never lost, even when the process dies before handling it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.telegram.inbox import InboxFeed, MemoryInbox
from bot.telegram.options import TelegramOptions
from bot.telegram.polling import Poller
from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


def _options(fake: FakeBotApi) -> TelegramOptions:
    return TelegramOptions(token=fake.token, api_server=fake.base_url, polling_timeout=1)


async def test_an_update_received_then_lost_by_a_crash_is_handled_after_restart(
    fake: FakeBotApi,
) -> None:
    inbox = MemoryInbox()
    stuck = asyncio.Event()

    async def crashes_before_handling(update: dict[str, Any]) -> None:
        stuck.set()
        await asyncio.Event().wait()  # the process dies here

    first = Poller(_options(fake), InboxFeed(inbox, "telegram:1", crashes_before_handling))
    await first.start()
    update = await fake.send_text(5, "oui")
    await asyncio.wait_for(stuck.wait(), 5)
    # Telegram forgets the update once the next getUpdates confirms it…
    await fake.wait_for(lambda: fake.pending_updates == 0 and fake.polling, 5)
    assert first._task is not None
    first._task.cancel()  # killed: nothing is flushed, nothing awaited
    for task in asyncio.all_tasks():
        if task.get_name().startswith("update-"):
            task.cancel()
    # …but the inbox still has it: the next start handles it, once.
    handled: list[int] = []

    async def handles(update: dict[str, Any]) -> None:
        handled.append(int(update["update_id"]))

    second = Poller(_options(fake), InboxFeed(inbox, "telegram:1", handles))
    await second.start()
    await fake.wait_for(lambda: handled, 5)
    await fake.send_text(5, "suite")
    await fake.wait_for(lambda: len(handled) == 2, 5)
    await second.stop()
    assert handled[0] == update["update_id"] and len(handled) == 2
    assert inbox.pending("telegram:1") == []  # handled updates leave the inbox


async def test_a_failed_update_stays_in_the_inbox_and_polling_survives_errors(
    fake: FakeBotApi,
) -> None:
    inbox = MemoryInbox()
    seen: list[str] = []

    async def handle(update: dict[str, Any]) -> None:
        text = update["message"]["text"]
        seen.append(text)
        if text == "boom":
            raise RuntimeError("bug while handling")

    poller = Poller(_options(fake), InboxFeed(inbox, "telegram:1", handle))
    fake.fail_next(count=1, status=429, retry_after=1, methods=["getUpdates"])
    await poller.start()
    await fake.send_text(5, "boom")
    await fake.send_text(5, "ok")
    await fake.wait_for(lambda: len(seen) == 2, 10)  # the 429 was waited out
    await poller.stop()
    assert seen == ["boom", "ok"]
    assert [u["message"]["text"] for u in inbox.pending("telegram:1")] == ["boom"]


async def test_handled_updates_leave_the_inbox_while_traffic_goes_on(
    fake: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under steady traffic a poll never comes back empty: the inbox is still cleared, by time."""
    monkeypatch.setattr("bot.telegram.polling.FLUSH_EVERY", 0.0)
    inbox = MemoryInbox()
    handled: list[int] = []

    async def handle(update: dict[str, Any]) -> None:
        handled.append(int(update["update_id"]))

    poller = Poller(_options(fake), InboxFeed(inbox, "telegram:1", handle))
    await poller.start()
    for n in range(3):
        await fake.send_text(5, f"message {n}")
        await fake.wait_for(lambda n=n: len(handled) == n + 1, 5)
    await fake.send_text(5, "encore")  # its poll comes back with an update: a flush by time
    await fake.wait_for(lambda: len(handled) == 4 and len(inbox.pending("telegram:1")) <= 1, 5)
    await poller.stop()
    assert inbox.pending("telegram:1") == []
