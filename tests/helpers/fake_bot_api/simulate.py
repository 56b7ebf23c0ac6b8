"""Simulated Telegram users: what they type, send and tap becomes queued updates.

Updates have the exact shape Telegram sends: a command gets its `bot_command` entity at offset 0
(PTB's CommandHandler needs it), a tap carries the stored bot message with its keyboard, a
non-zero date and a `chat_instance`.
"""

from __future__ import annotations

import re
import time
from typing import Any

from .core import Core
from .formatting import MAX_TEXT, utf16_len
from .media import image_size, tiny_png
from .methods_messages import photo_sizes

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")


def command_entities(text: str) -> tuple[dict[str, Any], ...]:
    match = _COMMAND.match(text)
    if match is None:
        return ()
    return ({"type": "bot_command", "offset": 0, "length": utf16_len(match.group())},)


def chat_instance(user_id: int) -> str:
    return str(-(user_id * 2654435761 % 10**18) - 1)


class SimulatedUsers:
    _core: Core

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Make a user known without sending anything (as if they had started the bot before)."""
        user = self._core.state.user(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        return user.to_json()

    def _user_message(
        self, user_id: int, profile: dict[str, str | None], kind: str, **fields: Any
    ) -> dict[str, Any]:
        state = self._core.state
        state.user(user_id, **profile)
        self._core.faults.blocked.discard(user_id)  # writing to the bot again unblocks it
        message = state.add_message(user_id, from_bot=False, kind=kind, **fields)
        return self._core.queue.put("message", state.message_json(message))

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """The user types `text` ("/start PAYLOAD" for a deep link); returns the queued update.

        A new user defaults to first_name "Agent" and language "fr"; given values update them.
        """
        if not text.strip() or len(text) > MAX_TEXT:
            raise ValueError("a user message is 1 to 4096 characters")
        profile = {
            "language_code": language_code,
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
        }
        entities = command_entities(text)
        return self._user_message(user_id, profile, "text", text=text, entities=entities)

    async def send_sticker(self, user_id: int, emoji: str = "👍") -> dict[str, Any]:
        record = self._core.state.add_file(
            tiny_png(), folder="stickers", file_name="sticker.webp", mime_type="image/webp"
        )
        sticker = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user_id, {}, "sticker", media={"sticker": sticker}, file=record)

    async def send_photo_from_user(
        self, user_id: int, data: bytes | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        """The user sends a photo (a small PNG by default); the bot can getFile/download it."""
        data = data if data is not None else tiny_png(160, 120)
        size = image_size(data)
        if size is None:
            raise ValueError("data is not a PNG, JPEG, GIF or WebP image")
        record = self._core.state.add_file(
            data, folder="photos", file_name="photo.jpg", mime_type="image/jpeg", size=size
        )
        media = {"photo": photo_sizes(self._core, record)}
        return self._user_message(
            user_id, {}, "photo", media=media, file=record, caption=caption or None
        )

    async def press(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        """The user taps a button of bot message `message_id` carrying `data` (not checked
        against the keyboard, so stale or forged data can be tested)."""
        state = self._core.state
        message = state.message(user_id, message_id)
        if message is None or not message.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {user_id}")
        query_id = state.new_callback(user_id, message_id, data)
        body = {
            "id": query_id,
            "from": state.user(user_id).to_json(),
            "message": state.message_json(message),
            "chat_instance": chat_instance(user_id),
            "data": data,
        }
        return self._core.queue.put("callback_query", body)

    async def press_button(self, user_id: int, label: str) -> dict[str, Any]:
        """Tap the button whose text contains `label` on the newest bot message that has one.

        An exact (case-insensitive) label wins over partial matches; several partial matches
        on that message are an error rather than a guess.
        """
        chat = self._core.state.chats.get(user_id)
        wanted = label.casefold()
        for message in reversed(list(chat.messages.values()) if chat else []):
            if not message.from_bot or message.deleted or not message.reply_markup:
                continue
            buttons = [
                (button["text"], button["callback_data"])
                for row in message.reply_markup["inline_keyboard"]
                for button in row
                if "callback_data" in button and wanted in button["text"].casefold()
            ]
            exact = [item for item in buttons if item[0].casefold() == wanted]
            chosen = exact or buttons
            if len(chosen) > 1:
                raise ValueError(f"{label!r} matches several buttons: {[t for t, _ in chosen]}")
            if chosen:
                return await self.press(user_id, message.message_id, chosen[0][1])
        raise LookupError(f"no button containing {label!r} in chat {user_id}")

    async def edit_text(self, user_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits their earlier message `message_id`: an `edited_message` update."""
        state = self._core.state
        message = state.message(user_id, message_id)
        if message is None or message.from_bot or message.text is None:
            raise LookupError(f"no text message {message_id} of user {user_id}")
        message.text, message.entities = text, command_entities(text)
        message.edit_count += 1
        message.edit_date = int(time.time())
        return self._core.queue.put("edited_message", state.message_json(message))

    def redeliver(self, update_id: int) -> dict[str, Any]:
        """Queue an already sent update again, same update_id (a duplicate delivery)."""
        return self._core.queue.redeliver(update_id)
