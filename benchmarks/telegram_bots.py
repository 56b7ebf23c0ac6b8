"""The bots `telegram_throughput.py` measures, each run in its own process.

`ecoclic`: the assistant (adapter + bridge + service + engine + SQLite), flood pacing lifted so that
the framework and our code are measured, not Telegram's limits. `echo`: the smallest bot of the same
library doing the same kind of work — every text is echoed with one inline button, every tap is
answered and echoed — i.e. the framework's own floor on the same fake server.

Run by the benchmark: `python benchmarks/telegram_bots.py ecoclic|echo ptb|aiogram API_SERVER TOKEN DB_URL`.
Serves until SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

NO_LIMITS = {"global_per_second": 10**6, "chat_rate": 1e6, "chat_burst": 10**6}


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()


async def ecoclic(library: str, server: str, token: str, database_url: str) -> None:
    from bot.telegram.flood import FloodControl
    from bot.telegram.options import TelegramOptions
    from bot.telegram.runtime import build_runtime
    from dialogs.context import EngineConfig
    from ecoclic.service import ChatService
    from referential.loader import default_referential
    from storage.database import SqlDatabase
    from storage.db import open_database

    async with open_database(database_url) as sessions:
        service = ChatService(SqlDatabase(sessions), default_referential(), EngineConfig())
        options = TelegramOptions(token=token, api_server=server)
        runtime = build_runtime(library, service, options, FloodControl(**NO_LIMITS))  # type: ignore[arg-type]
        await runtime.start()
        await _until_stopped()
        await runtime.stop()


async def echo_ptb(server: str, token: str) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        ApplicationBuilder,
        CallbackQueryHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("écho", callback_data="echo")]])

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "…", reply_markup=markup)

    async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await context.bot.send_message(
            query.message.chat.id, query.data or "…", reply_markup=markup
        )

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{server}/bot")
        .base_file_url(f"{server}/file/bot")
        .concurrent_updates(256)
        .build()
    )
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, on_text))
    app.add_handler(CallbackQueryHandler(on_tap))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=10)
    await _until_stopped()
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


async def echo_aiogram(server: str, token: str) -> None:
    from aiogram import Bot, Dispatcher, Router
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="écho", callback_data="echo")]]
    )
    router = Router()

    @router.message()
    async def on_text(message: Message) -> None:
        await message.answer(message.text or "…", reply_markup=markup)

    @router.callback_query()
    async def on_tap(query: CallbackQuery, bot: Bot) -> None:
        assert query.message is not None
        await query.answer()
        await bot.send_message(query.message.chat.id, query.data or "…", reply_markup=markup)

    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(server)))
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    await _until_stopped()
    await dispatcher.stop_polling()
    await polling


def main(argv: list[str]) -> None:
    kind, library, server, token, database_url = argv
    runner: Any
    if kind == "ecoclic":
        runner = ecoclic(library, server, token, database_url)
    elif library == "ptb":
        runner = echo_ptb(server, token)
    else:
        runner = echo_aiogram(server, token)
    asyncio.run(runner)


if __name__ == "__main__":
    main(sys.argv[1:])
