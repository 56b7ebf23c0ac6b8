"""`bot.delivery.Delivery` for Telegram: one attempt per call, failures mapped for the outbox.

The outbox dispatcher owns retries and scheduling, so here a 429 becomes `RetryLater` (and pauses the
chat in the shared flood control, which every other sender honours too), timeouts and 5xx become
`TransientFailure`, a blocked bot or a vanished chat `Undeliverable`. Messages are paced by the same
`FloodControl` as the replies, so outbox bursts and live conversations share one budget.
"""

from __future__ import annotations

from bot.delivery import DeliveryError, RetryLater, TransientFailure, Undeliverable
from bot.telegram.api import BadRequest, BotApi, FloodWait, Gone, Transient, is_gone
from bot.telegram.flood import FloodControl
from bot.telegram.render import render, send_chunk
from dialogs.replies import Reply


class TelegramDelivery:
    def __init__(self, api: BotApi, flood: FloodControl) -> None:
        self.api = api
        self.flood = flood

    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        """Send `reply` as new message(s) (edit flags ignored); return the last message id."""
        try:
            chat = int(chat_id)
        except ValueError as exc:
            raise Undeliverable(f"not a Telegram chat id: {chat_id!r}") from exc
        last: int | None = None
        for chunk in render(reply):
            try:
                async with self.flood.slot(chat):
                    last = await send_chunk(self.api, chat, chunk)
            except FloodWait as exc:
                self.flood.pause(chat, exc.retry_after)
                raise RetryLater(exc.retry_after, str(exc)) from exc
            except Transient as exc:
                raise TransientFailure(str(exc)) from exc
            except Gone as exc:
                raise Undeliverable(str(exc)) from exc
            except BadRequest as exc:
                if is_gone(exc.description):
                    raise Undeliverable(str(exc)) from exc
                raise DeliveryError(f"Telegram refused the message: {exc}") from exc
        return str(last) if last is not None else None
