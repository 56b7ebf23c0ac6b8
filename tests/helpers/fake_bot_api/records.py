"""What the fake remembers: transcript entries, stored messages, files, counters."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .keyboards import Buttons, buttons_of


@dataclass(frozen=True)
class Call:
    """One Bot API request as the fake answered it (params decoded, files as UploadedFile)."""

    method: str
    params: dict[str, Any]
    status: int
    at: float  # wall clock, time.time()
    duration: float
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class Delivery:
    """One webhook POST attempt; status None when the connection itself failed."""

    update_id: int
    url: str
    attempt: int
    status: int | None
    at: float
    duration: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class AnsweredCallback:
    query_id: str
    user_id: int
    message_id: int
    data: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    at: float


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes = field(repr=False)
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class StoredMessage:
    """A message as Telegram keeps it: text already stripped of HTML, keyboard echoed back."""

    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    kind: str  # "text", "document", "photo" or "sticker"
    text: str | None = None
    entities: tuple[dict[str, Any], ...] = ()
    caption: str | None = None
    caption_entities: tuple[dict[str, Any], ...] = ()
    parse_mode: str | None = None
    source: str | None = None  # text or caption exactly as the bot sent it
    reply_markup: dict[str, Any] | None = None  # inline keyboard only, as Telegram echoes it
    reply_keyboard: dict[str, Any] | None = None  # reply keyboard / remove / force_reply
    media: dict[str, Any] = field(default_factory=dict)  # "document" / "photo" / "sticker"
    file: FileRecord | None = None
    sender: dict[str, Any] | None = None  # the user, for user messages
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False


@dataclass(frozen=True)
class BotMessage:
    """Snapshot of one bot message for assertions (edits applied)."""

    message_id: int
    kind: str
    text: str  # the text, or the caption of a document/photo ("" when none)
    buttons: Buttons
    edited: bool
    edit_count: int
    deleted: bool
    parse_mode: str | None
    source: str | None
    reply_markup: dict[str, Any] | None
    reply_keyboard: dict[str, Any] | None
    file: FileRecord | None

    @classmethod
    def of(cls, message: StoredMessage) -> BotMessage:
        return cls(
            message_id=message.message_id,
            kind=message.kind,
            text=message.text if message.text is not None else (message.caption or ""),
            buttons=buttons_of(message.reply_markup),
            edited=message.edit_count > 0,
            edit_count=message.edit_count,
            deleted=message.deleted,
            parse_mode=message.parse_mode,
            source=message.source,
            reply_markup=message.reply_markup,
            reply_keyboard=message.reply_keyboard,
            file=message.file,
        )

    @property
    def labels(self) -> list[str]:
        return [text for row in self.buttons for text, _ in row]


@dataclass
class Stats:
    requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    injected_failures: int = 0
    flood_limited: int = 0
    updates_queued: int = 0
    webhook_attempts: int = 0
    webhook_failures: int = 0
    webhook_abandoned: int = 0

    @property
    def too_many_requests(self) -> int:
        return self.by_status[429]

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.by_status.items() if status >= 500)


class Recorder:
    """Transcript, counters and a change signal that waiters can sleep on."""

    def __init__(self) -> None:
        self.transcript: list[Call | Delivery] = []
        self.stats = Stats()
        self.last_activity = time.monotonic()
        self._changed = asyncio.Event()

    def changed(self) -> asyncio.Event:
        """The event set at the next change: take it *before* checking a condition."""
        return self._changed

    def notify(self, *, activity: bool = True) -> None:
        if activity:
            self.last_activity = time.monotonic()
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def call(self, call: Call, *, activity: bool = True) -> None:
        self.transcript.append(call)
        self.stats.requests += 1
        self.stats.by_status[call.status] += 1
        self.notify(activity=activity)

    def delivery(self, delivery: Delivery) -> None:
        self.transcript.append(delivery)
        self.stats.webhook_attempts += 1
        if not delivery.ok:
            self.stats.webhook_failures += 1
        self.notify()
