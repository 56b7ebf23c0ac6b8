"""What both adapters share: one Telegram update in, engine event out, engine replies back as calls.

The adapters hand over their library's message or callback query as it is (both libraries' objects
fit the small structural protocols below) with their `BotApi`; the bridge reads it into a
library-neutral `Incoming`. Then the chat's turn is taken first (order), the callback query is
answered at once (before any slow work, so Telegram never calls it too old), the engine runs through
the service (which dedupes redelivered update ids — a redelivery gets back the replies it kept and
never sent —, and runs the whole event in one worker-thread call: the loop keeps serving other chats
meanwhile), and replies are sent under flood control, then marked sent:
`edit=True` replies edit the message that carried the pressed button, falling back to a new message
when the edit is refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.handler import ChatHandler
from bot.telegram.api import ApiError, BadRequest, BotApi, Gone
from bot.telegram.commands import drop_staff_menu, register_staff_menu
from bot.telegram.flood import FloodControl
from bot.telegram.render import Chunk, render, send_chunk
from bot.telegram.serial import ChatLanes
from dialogs.events import Event, EventKind, Sender, event_from_text
from dialogs.replies import Outcome, Reply

log = logging.getLogger(__name__)

CHANNEL = "telegram"


class UserLike(Protocol):
    """`User` of python-telegram-bot and of aiogram alike."""

    @property
    def id(self) -> int: ...

    @property
    def first_name(self) -> str: ...

    @property
    def last_name(self) -> str | None: ...

    @property
    def language_code(self) -> str | None: ...


class ChatLike(Protocol):
    @property
    def id(self) -> int: ...


class CarrierLike(Protocol):
    """The message a button was under; maybe no longer accessible (then it cannot be edited)."""

    @property
    def chat(self) -> ChatLike: ...

    @property
    def message_id(self) -> int: ...


class MessageLike(CarrierLike, Protocol):
    @property
    def from_user(self) -> UserLike | None: ...

    @property
    def text(self) -> str | None: ...


class QueryLike(Protocol):
    """`CallbackQuery` of both libraries."""

    @property
    def id(self) -> str: ...

    @property
    def from_user(self) -> UserLike: ...

    @property
    def message(self) -> CarrierLike | None: ...

    @property
    def data(self) -> str | None: ...


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


def sender_of(user: UserLike, chat_id: int) -> Sender:
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return Sender(CHANNEL, str(user.id), str(chat_id), name, user.language_code or None)


def message_event(bot_id: int, update_id: int, text: str | None) -> Event:
    """Text (commands included) becomes TEXT/COMMAND/START; photos, stickers… UNSUPPORTED."""
    key = event_id(bot_id, update_id)
    if text is None:
        return Event(EventKind.UNSUPPORTED, event_id=key)
    return event_from_text(text, event_id=key)


def button_event(bot_id: int, update_id: int, data: str | None, message_id: int | None) -> Event:
    ref = str(message_id) if message_id is not None else None
    return Event.button(data or "", message_ref=ref, event_id=event_id(bot_id, update_id))


def message_incoming(
    bot_id: int, update_id: int, message: MessageLike, *, edited: bool = False
) -> Incoming | None:
    """A message from a person (None for channel posts and other sender-less messages); an
    edited one becomes an EDITED event, whose new text is not read."""
    user = message.from_user
    if user is None:
        return None
    event = (
        Event(EventKind.EDITED, event_id=event_id(bot_id, update_id))
        if edited
        else message_event(bot_id, update_id, message.text)
    )
    return Incoming(
        update_id=update_id,
        chat_id=message.chat.id,
        sender=sender_of(user, message.chat.id),
        event=event,
    )


def callback_incoming(
    bot_id: int, update_id: int, query: QueryLike, editable: type[object]
) -> Incoming:
    """A pressed button. The carrier can be edited only when it is an instance of `editable` (the
    library's accessible `Message`, not the `InaccessibleMessage` of a message too old)."""
    user = query.from_user
    carrier = query.message
    chat_id, message_id = user.id, None
    if carrier is not None:
        chat_id = carrier.chat.id
        message_id = carrier.message_id if isinstance(carrier, editable) else None
    return Incoming(
        update_id=update_id,
        chat_id=chat_id,
        sender=sender_of(user, chat_id),
        event=button_event(bot_id, update_id, query.data, message_id),
        callback_id=query.id,
        message_id=message_id,
    )


class TelegramBridge:
    def __init__(
        self, service: ChatHandler, flood: FloodControl, lanes: ChatLanes | None = None
    ) -> None:
        self.service = service
        self.flood = flood
        self.lanes = lanes or ChatLanes()
        self.on_done: list[Callable[[Incoming], None]] = []  # observers (tests, metrics)
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        # Per chat, the menu this process last gave it: True the staff one, False the default one.
        self._staff_chats: dict[int, bool] = {}

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait (bounded) for the updates being processed: a graceful stop loses no reply."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.error("stopping with %d updates still being processed", self._busy)

    async def on_message(
        self, api: BotApi, update_id: int, message: MessageLike, *, edited: bool = False
    ) -> None:
        incoming = message_incoming(api.bot_id, update_id, message, edited=edited)
        if incoming is not None:
            await self.process(api, incoming)

    async def on_callback(
        self, api: BotApi, update_id: int, query: QueryLike, editable: type[object]
    ) -> None:
        await self.process(api, callback_incoming(api.bot_id, update_id, query, editable))

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
                if outcome.replies and incoming.event.event_id:
                    await self.service.replies_sent(incoming.sender, incoming.event.event_id)
            if outcome.staff is not None:
                await self._staff_menu(api, incoming, outcome.staff)
        except Exception:
            log.exception("update %s (chat %s) failed", incoming.update_id, incoming.chat_id)
        finally:
            turn.release()
            for observer in self.on_done:
                observer(incoming)
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def _staff_menu(self, api: BotApi, incoming: Incoming, staff: bool) -> None:
        """/collectivites and /admin join the menu of a referent's or administrator's chat, and
        leave it at the first command after the role is lost (referent removed, OPSN deleted,
        person erased, no longer in ECOCLIC_ADMINS). Once per chat and process: Telegram keeps the
        menu, and after a restart setting or deleting it again is harmless."""
        chat_id = incoming.chat_id
        if self._staff_chats.get(chat_id) is staff:
            return
        try:
            if staff:
                await register_staff_menu(api, chat_id, incoming.sender.language_code)
            else:
                await drop_staff_menu(api, chat_id)
            self._staff_chats[chat_id] = staff
        except ApiError as exc:
            log.warning("menu of chat %s not %s: %s", chat_id, "set" if staff else "reset", exc)

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
                if reply.edit and incoming.message_id is not None and reply.attachment is None:
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
        return await self.flood.call(chat_id, lambda: send_chunk(api, chat_id, chunk))

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
