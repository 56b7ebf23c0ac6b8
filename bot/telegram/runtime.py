"""Pick the library ("ptb" or "aiogram") and build the running bot from plain options."""

from __future__ import annotations

from typing import Any, Protocol

from bot.handler import ChatHandler
from bot.telegram.bridge import TelegramBridge
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.flood import FloodControl
from bot.telegram.inbox import UpdateInbox
from bot.telegram.options import TelegramOptions

LIBRARIES = ("ptb", "aiogram")


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


def build_runtime(
    library: str,
    service: ChatHandler,
    options: TelegramOptions,
    flood: FloodControl | None = None,
    inbox: UpdateInbox | None = None,
) -> TelegramRuntime:
    """The bot on `library` (one of LIBRARIES); the library is imported only when chosen. `inbox`
    keeps received updates until handled (None: in memory, lost with the process)."""
    if library not in LIBRARIES:
        raise ValueError(f"unknown Telegram library {library!r} (expected one of {LIBRARIES})")
    bridge = TelegramBridge(service, flood or FloodControl())
    if library == "aiogram":
        from bot.telegram.aiogram_adapter import AiogramTelegram

        return AiogramTelegram(bridge, options, inbox)
    from bot.telegram.ptb_adapter import PtbTelegram

    return PtbTelegram(bridge, options, inbox)
