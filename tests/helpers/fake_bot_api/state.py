"""Telegram-side state: the bot, its private chats and messages, files, callback queries, commands."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request
from .records import AnsweredCallback, FileRecord, StoredMessage

DEFAULT_LANGUAGE = "fr"
DEFAULT_FIRST_NAME = "Agent"


@dataclass
class UserProfile:
    user_id: int
    first_name: str = DEFAULT_FIRST_NAME
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = DEFAULT_LANGUAGE

    def to_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                user[key] = getattr(self, key)
        return user


@dataclass
class ChatState:
    """A private chat: message ids are shared by the user's and the bot's messages."""

    user: UserProfile
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1

    def chat_json(self) -> dict[str, Any]:
        chat: dict[str, Any] = {
            "id": self.user.user_id,
            "type": "private",
            "first_name": self.user.first_name,
        }
        if self.user.last_name:
            chat["last_name"] = self.user.last_name
        if self.user.username:
            chat["username"] = self.user.username
        return chat


@dataclass
class PendingCallback:
    user_id: int
    message_id: int
    data: str
    created: float  # time.monotonic()
    answered: bool = False


@dataclass
class WebhookConfig:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


class BotState:
    def __init__(self, token: str, username: str, first_name: str) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, FileRecord] = {}
        self.callbacks: dict[str, PendingCallback] = {}
        self.answered_callbacks: list[AnsweredCallback] = []
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.webhook = WebhookConfig()
        self._callback_ids = 0

    # -- users and chats -------------------------------------------------------------------
    def user(self, user_id: int, **profile: str | None) -> UserProfile:
        """Find or create a user, updating the profile fields given (None = keep)."""
        if user_id <= 0:
            raise ValueError("simulated users need a positive id (private chats only)")
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chats[user_id] = ChatState(UserProfile(user_id))
        for key, value in profile.items():
            if value is not None:
                setattr(chat.user, key, value)
        return chat.user

    def chat_for_bot(self, chat_id: int) -> ChatState:
        """The chat a bot call targets; Telegram only knows users who wrote to the bot."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    # -- messages --------------------------------------------------------------------------
    def add_message(
        self, chat_id: int, *, from_bot: bool, kind: str, **fields: Any
    ) -> StoredMessage:
        chat = self.chats[chat_id]
        message = StoredMessage(
            chat_id=chat_id,
            message_id=chat.next_message_id,
            date=int(time.time()),
            from_bot=from_bot,
            kind=kind,
            sender=None if from_bot else chat.user.to_json(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        return message

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        chat = self.chats.get(chat_id)
        message = chat.messages.get(message_id) if chat else None
        return None if message is None or message.deleted else message

    def message_json(self, message: StoredMessage) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user if message.from_bot else message.sender,
            "chat": chat.chat_json(),
            "date": message.date,
        }
        if message.edit_date is not None:
            body["edit_date"] = message.edit_date
        if message.text is not None:
            body["text"] = message.text
            if message.entities:
                body["entities"] = list(message.entities)
        body.update(message.media)
        if message.caption:
            body["caption"] = message.caption
            if message.caption_entities:
                body["caption_entities"] = list(message.caption_entities)
        if message.reply_markup and message.reply_markup["inline_keyboard"]:
            body["reply_markup"] = message.reply_markup
        return body

    # -- files -----------------------------------------------------------------------------
    def add_file(
        self,
        data: bytes,
        *,
        folder: str,
        file_name: str,
        mime_type: str,
        size: tuple[int, int] | None = None,
    ) -> FileRecord:
        number = len(self.files) + 1
        digest = hashlib.sha1(data + number.to_bytes(4, "big")).hexdigest()
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        record = FileRecord(
            file_id=f"F{folder[:3].upper()}{number:05d}{digest[:20]}",
            file_unique_id=f"U{digest[:14]}",
            file_path=f"{folder}/file_{number}.{extension}",
            file_name=file_name,
            mime_type=mime_type,
            data=data,
            width=size[0] if size else None,
            height=size[1] if size else None,
        )
        self.files[record.file_id] = record
        return record

    # -- callback queries ------------------------------------------------------------------
    def new_callback(self, user_id: int, message_id: int, data: str) -> str:
        self._callback_ids += 1
        query_id = f"{self.bot_id}{self._callback_ids:08d}"
        self.callbacks[query_id] = PendingCallback(user_id, message_id, data, time.monotonic())
        return query_id
