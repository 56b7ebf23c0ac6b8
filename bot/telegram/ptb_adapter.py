"""python-telegram-bot adapter: PTB handlers feed the bridge; PTB's `Bot` makes the calls.

The default library of the standalone bot. `PtbTelegram` builds the `Application` (base URL pointed
at the configured Bot API server, concurrent updates — the bridge keeps each chat in order), registers
the command menu, then long-polls or waits for webhook updates handed to `feed`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import warnings
from collections.abc import Awaitable
from typing import Any, TypeVar

# Opt in to PTB's future behaviour (durations as timedelta): without it PTB 22 raises a deprecation
# warning each time it builds a RetryAfter, i.e. on every 429. `_seconds` reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
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
from bot.telegram.bridge import Incoming, TelegramBridge, button_event, message_event, sender_of
from bot.telegram.commands import register_commands
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.options import TelegramOptions
from bot.telegram.render import PARSE_MODE
from dialogs.replies import Keyboard

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
CONCURRENT_UPDATES = 256


def _seconds(exc: tg_error.RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns about int vs timedelta on access
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def _mapped(call: Awaitable[T]) -> T:
    """Run a PTB call, turning PTB's exceptions into the channel's."""
    try:
        return await call
    except tg_error.RetryAfter as exc:
        raise api.FloodWait(_seconds(exc), exc.message) from exc
    except tg_error.Forbidden as exc:
        raise api.Gone(exc.message) from exc
    except tg_error.BadRequest as exc:  # a NetworkError subclass: test it first
        if api.is_gone(exc.message):
            raise api.Gone(exc.message) from exc
        raise api.BadRequest(exc.message) from exc
    except tg_error.NetworkError as exc:  # timeouts, connection errors, 5xx
        raise api.Transient(exc.message) from exc
    except tg_error.TelegramError as exc:
        raise api.ApiError(exc.message) from exc


def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in keyboard
        ]
    )


class PtbApi:
    """`api.BotApi` over a PTB `Bot`."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @property
    def bot_id(self) -> int:
        return self.bot.id

    async def send_message(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        message = await _mapped(
            self.bot.send_message(
                chat_id,
                html,
                parse_mode=PARSE_MODE,
                reply_markup=_markup(keyboard),
                link_preview_options=NO_PREVIEW,
            )
        )
        return message.message_id

    async def edit_message_text(
        self, chat_id: int, message_id: int, html: str, keyboard: Keyboard
    ) -> None:
        await _mapped(
            self.bot.edit_message_text(
                html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=PARSE_MODE,
                reply_markup=_markup(keyboard),
                link_preview_options=NO_PREVIEW,
            )
        )

    async def answer_callback(self, callback_id: str, text: str = "") -> None:
        await _mapped(self.bot.answer_callback_query(callback_id, text=text or None))

    async def set_my_commands(
        self, commands: list[tuple[str, str]], language_code: str | None
    ) -> None:
        menu = [BotCommand(name, description) for name, description in commands]
        await _mapped(self.bot.set_my_commands(menu, language_code=language_code))


class PtbHandlers:
    """PTB callbacks: read the update into an `Incoming`, hand it to the bridge (no dialog logic)."""

    def __init__(self, bridge: TelegramBridge) -> None:
        self.bridge = bridge
        self._apis: dict[int, PtbApi] = {}

    def api_for(self, bot: Bot) -> PtbApi:
        found = self._apis.get(id(bot))
        if found is None:
            found = self._apis[id(bot)] = PtbApi(bot)
        return found

    def handlers(self) -> list[Any]:
        return [
            MessageHandler(filters.UpdateType.MESSAGE, self.on_message),
            CallbackQueryHandler(self.on_callback),
        ]

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or message.from_user is None:
            return
        bot_api = self.api_for(context.bot)
        user = message.from_user
        incoming = Incoming(
            update_id=update.update_id,
            chat_id=message.chat.id,
            sender=sender_of(
                user.id, message.chat.id, user.first_name, user.last_name, user.language_code
            ),
            event=message_event(bot_api.bot_id, update.update_id, message.text),
        )
        await self.bridge.process(bot_api, incoming)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        bot_api = self.api_for(context.bot)
        user = query.from_user
        carrier = query.message
        chat_id = carrier.chat.id if carrier is not None else user.id
        message_id = carrier.message_id if isinstance(carrier, Message) else None
        incoming = Incoming(
            update_id=update.update_id,
            chat_id=chat_id,
            sender=sender_of(user.id, chat_id, user.first_name, user.last_name, user.language_code),
            event=button_event(bot_api.bot_id, update.update_id, query.data, message_id),
            callback_id=query.id,
            message_id=message_id,
        )
        await self.bridge.process(bot_api, incoming)


class PtbTelegram:
    """The bot on python-telegram-bot: start, feed webhook updates, stop."""

    library = "ptb"

    def __init__(self, bridge: TelegramBridge, options: TelegramOptions) -> None:
        self.bridge = bridge
        self.options = options
        builder = (
            ApplicationBuilder()
            .token(options.token)
            .base_url(f"{options.api_server}/bot")
            .base_file_url(f"{options.api_server}/file/bot")
            .concurrent_updates(CONCURRENT_UPDATES)
        )
        if options.webhook:
            builder = builder.updater(None)
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.handlers = PtbHandlers(bridge)
        self.app.add_handlers(self.handlers.handlers())
        self.app.add_error_handler(self._on_error)
        self._started = False

    @property
    def api(self) -> PtbApi:
        return self.handlers.api_for(self.app.bot)

    @property
    def delivery(self) -> TelegramDelivery:
        return TelegramDelivery(self.api, self.bridge.flood)

    @property
    def username(self) -> str:
        return str(self.app.bot.username or "")

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("PTB error (update %r): %s", update, context.error, exc_info=context.error)

    async def start(self) -> None:
        await _mapped(self.app.initialize())  # getMe
        await register_commands(self.api)
        await self.app.start()
        self._started = True
        if self.options.webhook:
            await _mapped(
                self.app.bot.set_webhook(
                    self.options.webhook_url,
                    secret_token=self.options.webhook_secret,
                    allowed_updates=list(self.options.allowed_updates),
                )
            )
        else:
            assert self.app.updater is not None
            await self.app.updater.start_polling(
                timeout=self.options.polling_timeout,
                allowed_updates=list(self.options.allowed_updates),
            )

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one webhook update to the end (the route answers Telegram after)."""
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def stop(self) -> None:
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()  # confirms the fetched updates with a last getUpdates
        if self._started:
            await self.app.stop()  # waits for the updates being processed
            self._started = False
        await self.bridge.drain()
        await self.app.shutdown()
