"""Webhook mode of the fake: deliveries to a real aiohttp receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramConflictError
from aiohttp import web
from telegram import Bot as PtbBot

from tests.helpers.fake_bot_api import FakeBotApi


@dataclass
class Receiver:
    """A bot's webhook endpoint: records what arrives, answers the planned statuses."""

    url: str = ""
    plan: list[int] = field(default_factory=list)  # statuses to answer first, then 200
    delay: float = 0.0
    received: list[tuple[int, int, str | None]] = field(default_factory=list)  # id, chat, secret
    running: Counter[int] = field(default_factory=Counter)
    max_per_chat: int = 0
    max_total: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        update: dict[str, Any] = await request.json()
        body = update.get("message") or update.get("callback_query") or {}
        chat = int(body.get("chat", body.get("from", {})).get("id", 0))
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((update["update_id"], chat, secret))
        self.running[chat] += 1
        self.max_per_chat = max(self.max_per_chat, self.running[chat])
        self.max_total = max(self.max_total, sum(self.running.values()))
        await asyncio.sleep(self.delay)
        self.running[chat] -= 1
        return web.Response(status=self.plan.pop(0) if self.plan else 200)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    endpoint = Receiver()
    app = web.Application()
    app.router.add_post("/hook", endpoint.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    endpoint.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield endpoint
    await runner.cleanup()


async def test_secret_header_and_redelivery_after_500(
    fake_bot_api: FakeBotApi, receiver: Receiver
) -> None:
    receiver.plan = [500]
    bot = Bot(
        fake_bot_api.token,
        session=AiohttpSession(api=TelegramAPIServer.from_base(fake_bot_api.base_url)),
    )
    try:
        assert await bot.set_webhook(receiver.url, secret_token="s3cr3t_Token-1")
        update_id = (await fake_bot_api.send_text(42, "/start"))["update_id"]
        await fake_bot_api.wait_for(lambda: len(receiver.received) == 2)

        assert receiver.received == [(update_id, 42, "s3cr3t_Token-1")] * 2
        assert [d.status for d in fake_bot_api.deliveries(update_id)] == [500, 200]
        info = await bot.get_webhook_info()
        assert info.url == receiver.url and info.pending_update_count == 0
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()

        fake_bot_api.redeliver(update_id)  # a duplicate, as Telegram may send after a timeout
        await fake_bot_api.wait_for(lambda: len(receiver.received) == 3)
        assert receiver.received[-1][0] == update_id
        await fake_bot_api.wait_idle(quiet=0.05)
    finally:
        await bot.session.close()


async def test_one_update_at_a_time_per_chat(fake_bot_api: FakeBotApi, receiver: Receiver) -> None:
    receiver.delay = 0.05
    async with PtbBot(fake_bot_api.token, base_url=fake_bot_api.ptb_base_url) as bot:
        await bot.set_webhook(receiver.url)
        sent = [await fake_bot_api.send_text(chat, f"m{i}") for i in range(3) for chat in (1, 2)]
        await fake_bot_api.wait_for(lambda: len(receiver.received) == 6)
        await bot.delete_webhook()

    assert receiver.max_per_chat == 1 and receiver.max_total == 2
    for chat in (1, 2):
        expected = [u["update_id"] for u in sent if u["message"]["chat"]["id"] == chat]
        assert [uid for uid, c, _ in receiver.received if c == chat] == expected
    assert all(secret is None for _, _, secret in receiver.received)


async def test_unreachable_webhook_is_abandoned_after_bounded_retries(
    receiver: Receiver,
) -> None:
    async with (
        FakeBotApi(webhook_max_attempts=3, webhook_retry_delay=0.01) as fake,
        PtbBot(fake.token, base_url=fake.ptb_base_url) as bot,
    ):
        await bot.set_webhook("http://127.0.0.1:9/closed")  # discard port: refused
        update_id = (await fake.send_text(5, "bonjour"))["update_id"]
        await fake.wait_for(lambda: fake.stats.webhook_abandoned == 1)

        attempts = fake.deliveries(update_id)
        assert [d.attempt for d in attempts] == [1, 2, 3]
        assert all(d.status is None and d.error for d in attempts)
        info = await bot.get_webhook_info()
        assert info.last_error_message is not None
        assert info.last_error_message.startswith("Connection failed")

        # back to polling: an update queued while deliveries fail goes to getUpdates
        receiver.delay = 5.0
        await bot.set_webhook(receiver.url)
        await fake.send_text(5, "encore")
        await fake.wait_for(lambda: receiver.received)
        await bot.delete_webhook()
        [update] = await bot.get_updates(timeout=0)
        assert update.message is not None and update.message.text == "encore"
