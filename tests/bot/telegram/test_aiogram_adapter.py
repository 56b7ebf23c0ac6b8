"""`build_router`: the assistant included in an OPSN's existing aiogram bot, after its own handlers."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command
from aiogram.types import Message

from bot.telegram.aiogram_adapter import build_router
from ecoclic.service import ChatService
from tests.bot.telegram.conftest import fast_flood
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_driver import TelegramUser


async def test_existing_bot_keeps_its_commands_and_gains_the_assistant(
    fake: FakeBotApi, service: ChatService
) -> None:
    theirs = Router(name="opsn")

    @theirs.message(Command("ping"))
    async def ping(message: Message) -> None:
        await message.answer("pong")

    dispatcher = Dispatcher()
    dispatcher.include_router(theirs)
    dispatcher.include_router(build_router(service, flood=fast_flood()))
    bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False)
    )
    try:
        await fake.wait_for(lambda: fake.polling, 10)
        user = TelegramUser(fake, 4001)
        assert [m.text for m in await user.say("/ping")] == ["pong"]
        welcome = await user.say("/start")
        assert welcome[0].text.startswith("Bonjour ! Je suis Éco-clic")
        await user.tap("Inscrire ma collectivité")
        assert "SIRET" in user.messages()[-1].text
        assert len(fake.answered_callbacks) == 1
    finally:
        await dispatcher.stop_polling()
        await polling
