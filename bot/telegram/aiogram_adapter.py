"""aiogram 3 adapter: a `Router` an existing aiogram bot can include, and a standalone runner.

`build_router(service)` returns the assistant as one aiogram `Router` (messages and callback queries);
an OPSN's bot includes it last, after its own handlers, since it answers any message. aiogram does not
isolate a chat's events by default: the bridge serialises them per chat.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Dispatcher, Router, methods, types
from aiogram import exceptions as ag_error
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message, Update

from bot.handler import ChatHandler
from bot.telegram import api
from bot.telegram.bridge import TelegramBridge
from bot.telegram.commands import register_commands
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.flood import FloodControl
from bot.telegram.inbox import UpdateInbox
from bot.telegram.library import Kit, LibraryApi, described, refused
from bot.telegram.options import TelegramOptions
from bot.telegram.polling import Receiver

log = logging.getLogger(__name__)

# aiogram reads every Bot API answer as `Response[method.__returning__]`, a pydantic generic model
# that pydantic caches only while something references it (a WeakValueDictionary): left alone,
# each call built the model again, ~1 ms of CPU per call. Held here, they are built once.
RESPONSE_MODELS = tuple(
    methods.Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        methods.SendMessage,
        methods.EditMessageText,
        methods.AnswerCallbackQuery,
        methods.SendDocument,
        methods.SetMyCommands,
        methods.GetMe,
        methods.DeleteWebhook,
        methods.SetWebhook,
    )
)


class AiogramApi(LibraryApi):
    """`api.BotApi` over an aiogram `Bot`."""

    kit = Kit.of(
        types,
        errors=(
            (ag_error.TelegramRetryAfter, lambda e: api.FloodWait(float(e.retry_after), e.message)),
            (ag_error.TelegramForbiddenError, described(api.Gone)),
            (ag_error.TelegramBadRequest, refused),
            (
                (ag_error.TelegramServerError, ag_error.TelegramNetworkError),
                described(api.Transient),
            ),
            (ag_error.TelegramAPIError, described(api.ApiError)),
        ),
        upload=lambda content, name: types.BufferedInputFile(content, filename=name),
    )


def build_router(service: ChatHandler, *, flood: FloodControl | None = None) -> Router:
    """The assistant as an aiogram Router: include it in any Dispatcher (last: it takes all text)."""
    return bridge_router(TelegramBridge(service, flood or FloodControl()))


def bridge_router(bridge: TelegramBridge) -> Router:
    """Messages and callback queries of any bot the dispatcher serves, handed to `bridge`."""
    router = Router(name="ecoclic")
    apis: dict[int, AiogramApi] = {}  # per Bot object (each api holds its bot: ids stay unique)

    def api_for(bot: Bot) -> AiogramApi:
        found = apis.get(id(bot))
        if found is None:
            found = apis[id(bot)] = AiogramApi(bot)
        return found

    @router.message()
    async def on_message(message: Message, bot: Bot, event_update: Update) -> None:
        await bridge.on_message(api_for(bot), event_update.update_id, message)

    @router.edited_message()
    async def on_edited(message: Message, bot: Bot, event_update: Update) -> None:
        await bridge.on_message(api_for(bot), event_update.update_id, message, edited=True)

    @router.callback_query()
    async def on_callback(query: CallbackQuery, bot: Bot, event_update: Update) -> None:
        await bridge.on_callback(api_for(bot), event_update.update_id, query, Message)

    return router


class AiogramTelegram:
    """The bot on aiogram: start, feed webhook updates, stop."""

    library = "aiogram"

    def __init__(
        self, bridge: TelegramBridge, options: TelegramOptions, inbox: UpdateInbox | None = None
    ) -> None:
        self.bridge = bridge
        self.options = options
        self.receiver = Receiver(options, inbox, self._process)
        session = AiohttpSession(api=TelegramAPIServer.from_base(options.api_server))
        self.bot = Bot(options.token, session=session)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(bridge_router(bridge))
        self.api = AiogramApi(self.bot)
        self.username = ""

    @property
    def delivery(self) -> TelegramDelivery:
        return TelegramDelivery(self.api, self.bridge.flood)

    async def start(self) -> None:
        me = await self.api.call(self.bot.get_me())
        self.username = me.username or ""
        await register_commands(self.api)
        if self.options.webhook:
            await self.api.call(
                self.bot.set_webhook(
                    self.options.webhook_url,
                    secret_token=self.options.webhook_secret,
                    allowed_updates=list(self.options.allowed_updates),
                )
            )
        await self.receiver.start()  # polling: drops any webhook first

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one webhook update to the end (the route answers Telegram after)."""
        await self.receiver.feed(update)

    async def _process(self, update: dict[str, Any]) -> None:
        parsed = Update.model_validate(update, context={"bot": self.bot})
        await self.dispatcher.feed_update(self.bot, parsed)

    async def stop(self) -> None:
        await self.receiver.stop()  # updates not handled yet stay in the inbox
        await self.bridge.drain()
        await self.bot.session.close()
