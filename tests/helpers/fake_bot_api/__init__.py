"""A fake Telegram Bot API server for end-to-end tests of the real PTB and aiogram clients.

    async with FakeBotApi() as fake:                      # or the `fake_bot_api` fixture
        ptb = telegram.Bot(fake.token, base_url=fake.ptb_base_url)
        aio = aiogram.Bot(fake.token, session=AiohttpSession(
            api=TelegramAPIServer.from_base(fake.base_url)))
        await fake.send_text(42, "/start CODE")           # a user writes; the bot polls
        [question] = await fake.wait_for_messages(42, 1)
        await fake.press_button(42, "Oui")                # a tap: callback_query update
        await fake.wait_idle()
        assert fake.messages(42)[0].edited

Modules: server (FakeBotApi, HTTP, lifecycle, faults API), core (pipeline), methods_* (the Bot
API methods), params (wire decoding), formatting and keyboards (Telegram's validation), updates
and webhook (delivery), faults (injection, flood control), simulate (users), inspection
(transcript, state, waits), control (/__sim routes), __main__ (CLI).
"""

from __future__ import annotations

from .errors import ApiError
from .inspection import FakeTimeout
from .media import tiny_png
from .params import UploadedFile
from .records import AnsweredCallback, BotMessage, Call, Delivery, FileRecord, Stats
from .server import DEFAULT_TOKEN, FakeBotApi

__all__ = [
    "DEFAULT_TOKEN",
    "AnsweredCallback",
    "ApiError",
    "BotMessage",
    "Call",
    "Delivery",
    "FakeBotApi",
    "FakeTimeout",
    "FileRecord",
    "Stats",
    "UploadedFile",
    "tiny_png",
]
