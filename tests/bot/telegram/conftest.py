"""Both adapters, started for real against the fake Bot API on 127.0.0.1.

The fake enforces flood limits. To keep whole-questionnaire scenarios fast, the fake and our pacing
are both set to a faster per-chat rate than Telegram's (the same numbers on both sides, as in
production where ours mirror Telegram's); test_flood.py checks the production defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import uvicorn
from fastapi import FastAPI

from bot.telegram.api import BotApi
from bot.telegram.flood import FloodControl
from bot.telegram.options import WEBHOOK_PATH, TelegramOptions
from bot.telegram.runtime import TelegramRuntime, build_runtime
from bot.telegram.webhook import webhook_router
from ecoclic.service import ChatService
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_driver import Processed, TelegramUser

LIBRARIES = ("ptb", "aiogram")
FAST_CHAT_RATE = 40.0
FAST_CHAT_BURST = 10
SECRET = "s3cret_for-tests"


def fast_flood(**overrides: float) -> FloodControl:
    params: dict[str, float] = {
        "chat_rate": FAST_CHAT_RATE,
        "chat_burst": FAST_CHAT_BURST,
        "backoff_base": 0.05,
        **overrides,
    }
    return FloodControl(**params)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningBot:
    runtime: TelegramRuntime
    fake: FakeBotApi
    processed: Processed

    def user(self, user_id: int, language_code: str = "fr", name: str = "Camille") -> TelegramUser:
        return TelegramUser(self.fake, user_id, self.processed, language_code, name)


@pytest.fixture(params=LIBRARIES)
def library(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(
        enforce_flood_limits=True,
        flood_chat_rate=FAST_CHAT_RATE,
        flood_chat_burst=FAST_CHAT_BURST,
    ) as server:
        yield server


async def start_bot(
    library: str, service: ChatService, options: TelegramOptions, flood: FloodControl
) -> tuple[TelegramRuntime, Processed]:
    runtime = build_runtime(library, service, options, flood)
    processed = Processed()
    runtime.bridge.on_done.append(processed)
    await runtime.start()
    return runtime, processed


@pytest.fixture
async def polling_bot(
    fake: FakeBotApi, service: ChatService, library: str
) -> AsyncIterator[RunningBot]:
    options = TelegramOptions(token=fake.token, api_server=fake.base_url, polling_timeout=1)
    runtime, processed = await start_bot(library, service, options, fast_flood())
    try:
        yield RunningBot(runtime, fake, processed)
    finally:
        await runtime.stop()


class WebServer:
    """The project's way of serving the webhook: a FastAPI app under uvicorn, on a free port."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        self.url = f"http://127.0.0.1:{port}"

    async def __aenter__(self) -> WebServer:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                await self.task
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        await self.task


@pytest.fixture
async def webhook_bot(
    fake: FakeBotApi, service: ChatService, library: str
) -> AsyncIterator[RunningBot]:
    app = FastAPI()
    port = free_port()
    options = TelegramOptions(
        token=fake.token,
        api_server=fake.base_url,
        webhook=True,
        webhook_url=f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        webhook_secret=SECRET,
    )
    runtime = build_runtime(library, service, options, fast_flood())
    processed = Processed()
    runtime.bridge.on_done.append(processed)
    app.include_router(webhook_router(runtime.feed, SECRET))
    async with WebServer(app, port):
        await runtime.start()
        try:
            yield RunningBot(runtime, fake, processed)
        finally:
            await runtime.stop()


@contextlib.asynccontextmanager
async def library_api(
    library: str, fake: FakeBotApi, *, timeout: float | None = None
) -> AsyncIterator[BotApi]:
    """A bare `BotApi` of one library, talking to the fake (no dispatcher, no polling)."""
    if library == "ptb":
        from telegram import Bot as PtbBot
        from telegram.request import HTTPXRequest

        from bot.telegram.ptb_adapter import PtbApi

        request = HTTPXRequest(read_timeout=timeout) if timeout else None
        ptb_bot = PtbBot(
            fake.token,
            base_url=fake.ptb_base_url,
            base_file_url=fake.ptb_base_file_url,
            request=request,
        )
        async with ptb_bot:
            yield PtbApi(ptb_bot)
        return
    from aiogram import Bot as AiogramBot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.telegram.aiogram_adapter import AiogramApi

    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    if timeout:
        session.timeout = timeout
    aiogram_bot = AiogramBot(fake.token, session=session)
    try:
        yield AiogramApi(aiogram_bot)
    finally:
        await aiogram_bot.session.close()
