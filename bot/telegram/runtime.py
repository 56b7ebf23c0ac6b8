"""Pick the library (ECOCLIC_TELEGRAM_LIBRARY=ptb|aiogram) and build the running bot from settings."""

from __future__ import annotations

from typing import Any, Protocol

from bot.telegram.bridge import Handles, TelegramBridge
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.flood import FloodControl
from bot.telegram.options import WEBHOOK_PATH, TelegramOptions
from ecoclic.settings import Settings, TelegramLibrary, TelegramMode


class TelegramRuntime(Protocol):
    """What `ecoclic serve` drives; both adapters implement it."""

    library: str
    bridge: TelegramBridge

    @property
    def delivery(self) -> TelegramDelivery: ...

    @property
    def username(self) -> str: ...

    async def start(self) -> None:
        """getMe, command menu, then long polling or setWebhook."""
        ...

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one webhook update completely."""
        ...

    async def stop(self) -> None:
        """Stop receiving, finish the updates in progress, close connections."""
        ...


class ConfigurationError(ValueError):
    """A setting makes the bot impossible to start; the message is for the operator (French)."""


def options_from_settings(settings: Settings) -> TelegramOptions:
    if settings.telegram_token is None:
        raise ConfigurationError("ECOCLIC_TELEGRAM_TOKEN n’est pas défini.")
    token = settings.telegram_token.get_secret_value()
    bot_id, _, secret = token.partition(":")
    if not bot_id.isdigit() or not secret:
        raise ConfigurationError("ECOCLIC_TELEGRAM_TOKEN doit ressembler à 123456:ABC-def…")
    webhook = settings.telegram_mode is TelegramMode.WEBHOOK
    if webhook and settings.webhook_secret is None:
        raise ConfigurationError(
            "Le mode webhook exige ECOCLIC_WEBHOOK_SECRET (1 à 256 caractères A-Z a-z 0-9 _ -)."
        )
    return TelegramOptions(
        token=token,
        api_server=settings.telegram_api_server,
        webhook=webhook,
        webhook_url=settings.public_url + WEBHOOK_PATH,
        webhook_secret=settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else "",
    )


def flood_from_settings(settings: Settings) -> FloodControl:
    return FloodControl(
        global_per_second=settings.telegram_flood_global,
        chat_rate=settings.telegram_flood_chat_rate,
        chat_burst=settings.telegram_flood_chat_burst,
    )


def build_runtime(
    library: TelegramLibrary | str,
    service: Handles,
    options: TelegramOptions,
    flood: FloodControl | None = None,
) -> TelegramRuntime:
    bridge = TelegramBridge(service, flood or FloodControl())
    if TelegramLibrary(library) is TelegramLibrary.AIOGRAM:
        from bot.telegram.aiogram_adapter import AiogramTelegram

        return AiogramTelegram(bridge, options)
    from bot.telegram.ptb_adapter import PtbTelegram

    return PtbTelegram(bridge, options)
