"""The real Telegram delivery (PTB client + shared flood control) pointed at the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.telegram.delivery import TelegramDelivery
from bot.telegram.flood import FloodControl
from bot.telegram.ptb_adapter import PtbApi


@asynccontextmanager
async def ptb_delivery(
    base_url: str, token: str, flood: FloodControl | None = None
) -> AsyncIterator[TelegramDelivery]:
    """`base_url` is the fake's (http://127.0.0.1:<port>); a pool wide enough for concurrent sends."""
    request = HTTPXRequest(connection_pool_size=32, read_timeout=10.0)
    bot = Bot(
        token, base_url=f"{base_url}/bot", base_file_url=f"{base_url}/file/bot", request=request
    )
    async with bot:
        yield TelegramDelivery(PtbApi(bot), flood or FloodControl())
