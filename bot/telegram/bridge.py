"""What both adapters share: one Telegram update in, engine event out, engine replies back as calls.

The adapters only read their library's update objects into an `Incoming` and hand it here with their
`BotApi`. Here: the chat's turn is taken first (order), the callback query is answered at once (before
any slow work, so Telegram never calls it too old), the engine runs through the service (which dedupes
redelivered update ids), and replies are sent under flood control: `edit=True` replies edit the message
that carried the pressed button, falling back to a new message when the edit is refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.telegram.api import ApiError, BadRequest, BotApi, Gone
from bot.telegram.flood import FloodControl
from bot.telegram.render import Chunk, render
from bot.telegram.serial import ChatLanes
from dialogs.events import Event, EventKind, Sender, event_from_text
from dialogs.replies import Outcome, Reply

log = logging.getLogger(__name__)

CHANNEL = "telegram"


class Handles(Protocol):
    """The service as the channel sees it (ecoclic.service.ChatService)."""

    async def handle(self, sender: Sender, event: Event) -> Outcome: ...


@dataclass(frozen=True)
class Incoming:
    """One update, library-neutral."""

    update_id: int
    chat_id: int
    sender: Sender
    event: Event
    callback_id: str | None = None  # set for callback queries
    message_id: int | None = None  # the message carrying the pressed button


def event_id(bot_id: int, update_id: int) -> str:
    """Idempotency key: the service ignores an update it already handled."""
    return f"tg:{bot_id}:{update_id}"


def sender_of(
    user_id: int,
    chat_id: int,
    first_name: str | None,
    last_name: str | None,
    language_code: str | None,
) -> Sender:
    name = " ".join(part for part in (first_name, last_name) if part)
    return Sender(CHANNEL, str(user_id), str(chat_id), name, language_code or None)


def message_event(bot_id: int, update_id: int, text: str | None) -> Event:
    """Text (commands included) becomes TEXT/COMMAND/START; photos, stickers… UNSUPPORTED."""
    key = event_id(bot_id, update_id)
    if text is None:
        return Event(EventKind.UNSUPPORTED, event_id=key)
    return event_from_text(text, event_id=key)


def button_event(bot_id: int, update_id: int, data: str | None, message_id: int | None) -> Event:
    ref = str(message_id) if message_id is not None else None
    return Event.button(data or "", message_ref=ref, event_id=event_id(bot_id, update_id))


class TelegramBridge:
    def __init__(
        self, service: Handles, flood: FloodControl, lanes: ChatLanes | None = None
    ) -> None:
        self.service = service
        self.flood = flood
        self.lanes = lanes or ChatLanes()
        self.on_done: list[Callable[[Incoming], None]] = []  # observers (tests, metrics)
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait (bounded) for the updates being processed: a graceful stop loses no reply."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.error("stopping with %d updates still being processed", self._busy)

    async def process(self, api: BotApi, incoming: Incoming) -> None:
        """Handle one update end to end. Never raises: failures are logged, not lost in a task."""
        turn = self.lanes.turn(incoming.chat_id)  # before any await: keeps the chat's order
        self._busy += 1
        self._idle.clear()
        try:
            if incoming.callback_id is not None:
                await self._answer(api, incoming.callback_id)
            async with turn:
                outcome = await self.service.handle(incoming.sender, incoming.event)
                await self.send_outcome(api, incoming, outcome)
        except Exception:
            log.exception("update %s (chat %s) failed", incoming.update_id, incoming.chat_id)
        finally:
            turn.release()
            for observer in self.on_done:
                observer(incoming)
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def _answer(self, api: BotApi, callback_id: str) -> None:
        try:
            await api.answer_callback(callback_id)
        except BadRequest as exc:
            # A redelivered update's query was answered the first time; nothing to do.
            log.debug("answerCallbackQuery %s: %s", callback_id, exc)
        except ApiError as exc:
            log.warning("answerCallbackQuery %s failed: %s", callback_id, exc)

    async def send_outcome(self, api: BotApi, incoming: Incoming, outcome: Outcome) -> None:
        replies = list(outcome.replies)
        if outcome.toast and not replies:
            replies.append(Reply(outcome.toast))  # the answer was already sent empty: show it
        for reply in replies:
            try:
                if reply.edit and incoming.message_id is not None:
                    await self.edit(api, incoming.chat_id, incoming.message_id, reply)
                else:
                    await self.send(api, incoming.chat_id, reply)
            except Gone as exc:
                log.info("chat %s cannot be reached: %s", incoming.chat_id, exc)
                return
            except ApiError as exc:
                log.error(
                    "reply to update %s (chat %s) NOT delivered: %s; text was: %.200r",
                    incoming.update_id,
                    incoming.chat_id,
                    exc,
                    reply.text,
                )

    async def send(self, api: BotApi, chat_id: int, reply: Reply) -> int:
        """Send a reply as new message(s); return the id of the last one."""
        message_id = 0
        for chunk in render(reply):
            message_id = await self._send_chunk(api, chat_id, chunk)
        return message_id

    async def _send_chunk(self, api: BotApi, chat_id: int, chunk: Chunk) -> int:
        return await self.flood.call(
            chat_id, lambda: api.send_message(chat_id, chunk.html, chunk.keyboard)
        )

    async def edit(self, api: BotApi, chat_id: int, message_id: int, reply: Reply) -> None:
        """Replace the tapped message with the first chunk; send any further chunk after it."""
        first, *rest = render(reply)
        try:
            await self.flood.call(
                chat_id,
                lambda: api.edit_message_text(chat_id, message_id, first.html, first.keyboard),
                counts=False,
                what="editMessageText",
            )
        except BadRequest as exc:
            if not exc.not_modified:
                log.info("edit of message %s refused (%s): sending anew", message_id, exc)
                await self.send(api, chat_id, Reply(reply.text, reply.buttons))
                return
        for chunk in rest:
            await self._send_chunk(api, chat_id, chunk)
