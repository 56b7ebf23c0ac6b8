"""aiogram 3 adapter: a `Router` an existing aiogram bot can include, and a standalone runner.

`build_router(service)` returns the assistant as one aiogram `Router` (messages and callback queries);
an OPSN's bot includes it last, after its own handlers, since it answers any message. aiogram does not
isolate a chat's events by default: the bridge serialises them per chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher, Router
from aiogram import exceptions as ag_error
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)

from bot.telegram import api
from bot.telegram.bridge import (
    Handles,
    Incoming,
    TelegramBridge,
    button_event,
    message_event,
    sender_of,
)
from bot.telegram.commands import register_commands
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.flood import FloodControl
from bot.telegram.options import TelegramOptions
from bot.telegram.render import PARSE_MODE
from dialogs.replies import Keyboard

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def _mapped(call: Awaitable[T]) -> T:
    """Run an aiogram call, turning aiogram's exceptions into the channel's."""
    try:
        return await call
    except ag_error.TelegramRetryAfter as exc:
        raise api.FloodWait(float(exc.retry_after), exc.message) from exc
    except ag_error.TelegramForbiddenError as exc:
        raise api.Gone(exc.message) from exc
    except ag_error.TelegramBadRequest as exc:
        if api.is_gone(exc.message):
            raise api.Gone(exc.message) from exc
        raise api.BadRequest(exc.message) from exc
    except (ag_error.TelegramServerError, ag_error.TelegramNetworkError) as exc:
        raise api.Transient(exc.message) from exc
    except ag_error.TelegramAPIError as exc:
        raise api.ApiError(exc.message) from exc


def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(text=b.label, callback_data=b.data)
                for b in row
            ]
            for row in keyboard
        ]
    )


class AiogramApi:
    """`api.BotApi` over an aiogram `Bot`."""

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
                text=html,
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
        menu = [BotCommand(command=name, description=text) for name, text in commands]
        await _mapped(self.bot.set_my_commands(menu, language_code=language_code))


def build_router(
    service: Handles,
    *,
    flood: FloodControl | None = None,
    bridge: TelegramBridge | None = None,
    name: str = "ecoclic",
) -> Router:
    """The assistant as an aiogram Router: include it in any Dispatcher (last: it takes all text)."""
    bridge = bridge or TelegramBridge(service, flood or FloodControl())
    router = Router(name=name)
    apis: dict[int, AiogramApi] = {}

    def api_for(bot: Bot) -> AiogramApi:
        found = apis.get(id(bot))
        if found is None:
            found = apis[id(bot)] = AiogramApi(bot)
        return found

    @router.message()
    async def on_message(message: Message, bot: Bot, event_update: Update) -> None:
        user = message.from_user
        if user is None:
            return
        bot_api = api_for(bot)
        incoming = Incoming(
            update_id=event_update.update_id,
            chat_id=message.chat.id,
            sender=sender_of(
                user.id, message.chat.id, user.first_name, user.last_name, user.language_code
            ),
            event=message_event(bot_api.bot_id, event_update.update_id, message.text),
        )
        await bridge.process(bot_api, incoming)

    @router.callback_query()
    async def on_callback(query: CallbackQuery, bot: Bot, event_update: Update) -> None:
        bot_api = api_for(bot)
        user = query.from_user
        carrier = query.message
        chat_id = carrier.chat.id if carrier is not None else user.id
        message_id = carrier.message_id if isinstance(carrier, Message) else None
        incoming = Incoming(
            update_id=event_update.update_id,
            chat_id=chat_id,
            sender=sender_of(user.id, chat_id, user.first_name, user.last_name, user.language_code),
            event=button_event(bot_api.bot_id, event_update.update_id, query.data, message_id),
            callback_id=query.id,
            message_id=message_id,
        )
        await bridge.process(bot_api, incoming)

    return router


class AiogramTelegram:
    """The bot on aiogram: start, feed webhook updates, stop."""

    library = "aiogram"

    def __init__(self, bridge: TelegramBridge, options: TelegramOptions) -> None:
        self.bridge = bridge
        self.options = options
        session = AiohttpSession(api=TelegramAPIServer.from_base(options.api_server))
        self.bot = Bot(options.token, session=session)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(build_router(bridge.service, bridge=bridge))
        self.api = AiogramApi(self.bot)
        self.username = ""
        self._polling: asyncio.Task[None] | None = None

    @property
    def delivery(self) -> TelegramDelivery:
        return TelegramDelivery(self.api, self.bridge.flood)

    async def start(self) -> None:
        me = await _mapped(self.bot.get_me())
        self.username = me.username or ""
        await register_commands(self.api)
        allowed = list(self.options.allowed_updates)
        if self.options.webhook:
            await _mapped(
                self.bot.set_webhook(
                    self.options.webhook_url,
                    secret_token=self.options.webhook_secret,
                    allowed_updates=allowed,
                )
            )
            return
        await _mapped(self.bot.delete_webhook())  # getUpdates is refused while a webhook is set
        self._polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                polling_timeout=self.options.polling_timeout,
                handle_signals=False,
                close_bot_session=False,
                allowed_updates=allowed,
            ),
            name="aiogram-polling",
        )

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one webhook update to the end (the route answers Telegram after)."""
        parsed = Update.model_validate(update, context={"bot": self.bot})
        await self.dispatcher.feed_update(self.bot, parsed)

    async def stop(self) -> None:
        if self._polling is not None:
            if not self._polling.done():
                try:
                    await self.dispatcher.stop_polling()
                except RuntimeError:  # polling had not really started yet
                    self._polling.cancel()
            await asyncio.gather(self._polling, return_exceptions=True)
            self._polling = None
        await self.bridge.drain()
        await self.bot.session.close()
