"""How the Telegram channel is configured, independent of the library and of `Settings`."""

from __future__ import annotations

from dataclasses import dataclass

ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
WEBHOOK_PATH = "/telegram/webhook"


@dataclass(frozen=True)
class TelegramOptions:
    token: str
    api_server: str = "https://api.telegram.org"  # requests go to {api_server}/bot{token}/{method}
    webhook: bool = False  # False: long polling
    webhook_url: str = ""
    webhook_secret: str = ""
    polling_timeout: int = 10
    allowed_updates: tuple[str, ...] = ALLOWED_UPDATES
