"""The bots `telegram_throughput.py` measures, each run in its own process.

`ecoclic`: the assistant (adapter + bridge + service + engine + SQLite, one worker-thread hop per
update), flood pacing lifted so that the framework and our code are measured, not Telegram's limits. `echo`: the smallest bot of the same
library doing the same kind of work — every text is echoed with one inline button, every tap is
answered and echoed — i.e. the framework's own floor on the same fake server.

Run by the benchmark: `python benchmarks/telegram_bots.py ecoclic|echo ptb|aiogram API_SERVER TOKEN DB_URL`.
Serves until SIGTERM. `BENCH_ECHO_PINNED=1`: the aiogram echo bot also holds aiogram's response
models as the assistant's adapter does (`bot.telegram.aiogram_adapter.RESPONSE_MODELS`). With `BENCH_PROFILE=PREFIX` in the environment, every thread (the event loop
and the service's workers) is profiled with cProfile in thread CPU time, and the merged statistics
are written at exit to PREFIX.<bot>-<library>.prof: `python -m pstats FILE` shows where the CPU goes.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import signal
import sys
import threading
import time
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
    from storage.inbox import SqlInbox

    with open_database(database_url) as sessions:
        service = ChatService(SqlDatabase(sessions), default_referential(), EngineConfig())
        _meter(service)
        options = TelegramOptions(token=token, api_server=server)
        flood = FloodControl(**NO_LIMITS)  # type: ignore[arg-type]
        # As `ecoclic serve` runs it: updates go through the inbox in the database.
        runtime = build_runtime(library, service, options, flood, SqlInbox(sessions))
        await runtime.start()
        await _until_stopped()
        await runtime.stop()
        service.close()


def _meter(service: Any) -> None:
    """Count the CPU of the service's unit of work (engine + storage, in its worker thread); on
    SIGUSR1 print `SERVICE <cpu seconds> <events>` so the benchmark can tell it from the channel's."""
    spent = [0.0, 0]
    handle_now = service.handle_now

    def metered(sender: Any, event: Any) -> Any:
        start = time.thread_time()
        try:
            return handle_now(sender, event)
        finally:
            spent[0] += time.thread_time() - start
            spent[1] += 1

    service.handle_now = metered  # `handle` looks it up per event
    signal.signal(signal.SIGUSR1, lambda *_: print(f"SERVICE {spent[0]} {spent[1]}", flush=True))


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
    if os.environ.get("BENCH_ECHO_PINNED"):  # the echo with the assistant's workaround, to compare
        import bot.telegram.aiogram_adapter
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
    prefix = os.environ.get("BENCH_PROFILE")
    if not prefix:
        asyncio.run(runner)
        return
    profiles = [cProfile.Profile(time.thread_time)]

    def in_new_thread(*_args: Any) -> None:  # first event of each new thread: profile it too
        sys.setprofile(None)
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()

    threading.setprofile(in_new_thread)
    profiles[0].enable()
    try:
        asyncio.run(runner)
    finally:
        profiles[0].disable()
        stats = pstats.Stats(profiles[0])
        for profile in profiles[1:]:  # the worker threads have finished (service closed)
            stats.add(profile)
        stats.dump_stats(f"{prefix}.{kind}-{library}.prof")


if __name__ == "__main__":
    main(sys.argv[1:])
