"""python-telegram-bot adapter: PTB handlers feed the bridge; PTB's `Bot` makes the calls.

The default library of the standalone bot. `PtbTelegram` builds the `Application` (base URL pointed
at the configured Bot API server, concurrent updates — the bridge keeps each chat in order), registers
the command menu, then receives updates through the inbox (`bot.telegram.polling.Receiver`: PTB's own
Updater would confirm updates before they are handled).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import warnings
from typing import Any

# Opt in to PTB's future behaviour (durations as timedelta): without it PTB 22 raises a deprecation
# warning each time it builds a RetryAfter, i.e. on every 429. `_seconds` reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")

import telegram
from telegram import Message, Update
from telegram import error as tg_error
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.telegram import api
from bot.telegram.bridge import TelegramBridge
from bot.telegram.commands import register_commands
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.inbox import UpdateInbox
from bot.telegram.library import Kit, LibraryApi, described, refused
from bot.telegram.options import TelegramOptions
from bot.telegram.polling import Receiver

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 256


def _seconds(exc: tg_error.RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns about int vs timedelta on access
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class PtbApi(LibraryApi):
    """`api.BotApi` over a PTB `Bot`."""

    kit = Kit.of(
        telegram,
        errors=(
            (tg_error.RetryAfter, lambda exc: api.FloodWait(_seconds(exc), exc.message)),
            (tg_error.Forbidden, described(api.Gone)),
            (tg_error.BadRequest, refused),  # a NetworkError subclass: tested before it
            (tg_error.NetworkError, described(api.Transient)),  # timeouts, connections, 5xx
            (tg_error.TelegramError, described(api.ApiError)),
        ),
        upload=lambda content, name: telegram.InputFile(content, filename=name),
    )


class PtbTelegram:
    """The bot on python-telegram-bot: start, feed webhook updates, stop."""

    library = "ptb"

    def __init__(
        self, bridge: TelegramBridge, options: TelegramOptions, inbox: UpdateInbox | None = None
    ) -> None:
        self.bridge = bridge
        self.options = options
        builder = (
            ApplicationBuilder()
            .token(options.token)
            .base_url(f"{options.api_server}/bot")
            .base_file_url(f"{options.api_server}/file/bot")
            .concurrent_updates(CONCURRENT_UPDATES)
            .updater(None)
        )
        self.receiver = Receiver(options, inbox, self._process)
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.api = PtbApi(self.app.bot)  # the application's one bot, also `context.bot`
        self.app.add_handlers(
            [
                MessageHandler(
                    filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE,
                    self._on_message,
                ),
                CallbackQueryHandler(self._on_callback),
            ]
        )
        self.app.add_error_handler(self._on_error)
        self._started = False

    @property
    def delivery(self) -> TelegramDelivery:
        return TelegramDelivery(self.api, self.bridge.flood)

    @property
    def username(self) -> str:
        return str(self.app.bot.username or "")

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message is not None:
            await self.bridge.on_message(self.api, update.update_id, update.message)
        elif update.edited_message is not None:
            edited = update.edited_message
            await self.bridge.on_message(self.api, update.update_id, edited, edited=True)

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            query = update.callback_query
            await self.bridge.on_callback(self.api, update.update_id, query, Message)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("PTB error (update %r): %s", update, context.error, exc_info=context.error)

    async def start(self) -> None:
        await self.api.call(self.app.initialize())  # getMe
        await register_commands(self.api)
        await self.app.start()
        self._started = True
        if self.options.webhook:
            await self.api.call(
                self.app.bot.set_webhook(
                    self.options.webhook_url,
                    secret_token=self.options.webhook_secret,
                    allowed_updates=list(self.options.allowed_updates),
                )
            )
        await self.receiver.start()

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one webhook update to the end (the route answers Telegram after)."""
        await self.receiver.feed(update)

    async def _process(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def stop(self) -> None:
        await self.receiver.stop()  # updates not handled yet stay in the inbox
        if self._started:
            await self.app.stop()  # waits for the updates being processed
            self._started = False
        await self.bridge.drain()
        await self.app.shutdown()
