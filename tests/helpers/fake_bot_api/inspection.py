"""What tests read and wait on: transcript, chat state, answered taps, commands, idleness."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TypeVar

from .core import Core
from .records import AnsweredCallback, BotMessage, Call, Delivery, FileRecord, Stats

T = TypeVar("T")
_RECHECK = 0.05  # predicates may also read state outside the fake (a database…)


class FakeTimeout(TimeoutError):
    """A wait gave up; the message ends with the last transcript entries."""


class Inspection:
    _core: Core

    # -- transcript ------------------------------------------------------------------------
    @property
    def transcript(self) -> list[Call | Delivery]:
        return list(self._core.recorder.transcript)

    def calls(self, method: str | None = None) -> list[Call]:
        wanted = method.lower() if method else None
        return [
            entry
            for entry in self._core.recorder.transcript
            if isinstance(entry, Call) and (wanted is None or entry.method.lower() == wanted)
        ]

    def deliveries(self, update_id: int | None = None) -> list[Delivery]:
        return [
            entry
            for entry in self._core.recorder.transcript
            if isinstance(entry, Delivery) and update_id in (None, entry.update_id)
        ]

    @property
    def stats(self) -> Stats:
        return self._core.recorder.stats

    # -- Telegram-side state ---------------------------------------------------------------
    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """The bot's messages in that chat as the user now sees them (edits applied), oldest first."""
        chat = self._core.state.chats.get(chat_id)
        if chat is None:
            return []
        return [
            BotMessage.of(message)
            for message in chat.messages.values()
            if message.from_bot and (include_deleted or not message.deleted)
        ]

    def last_message(self, chat_id: int) -> BotMessage | None:
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    @property
    def answered_callbacks(self) -> list[AnsweredCallback]:
        return list(self._core.state.answered_callbacks)

    @property
    def commands(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Command lists per (scope key, language code); "" is the no-language list."""
        return {key: list(value) for key, value in self._core.state.commands.items()}

    def commands_for(self, chat_id: int, language_code: str = "") -> list[tuple[str, str]]:
        """The list a Telegram client would show in that private chat (documented order)."""
        stored = self._core.state.commands
        for scope in (f"chat:{chat_id}", "all_private_chats", "default"):
            for language in dict.fromkeys((language_code, "")):
                if (scope, language) in stored:
                    return list(stored[(scope, language)])
        return []

    @property
    def files(self) -> dict[str, FileRecord]:
        return dict(self._core.state.files)

    @property
    def pending_updates(self) -> int:
        return self._core.queue.pending

    @property
    def polling(self) -> bool:
        """A getUpdates long poll is waiting right now."""
        return self._core.queue.polling

    @property
    def blocked_chats(self) -> set[int]:
        return set(self._core.faults.blocked)

    @property
    def running_calls(self) -> int:
        """Bot API calls (other than getUpdates) being answered right now."""
        return self._core.in_flight

    # -- waiting ---------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Wait until predicate() is truthy and return its value; FakeTimeout otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            changed = self._core.recorder.changed()
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FakeTimeout(f"condition not met within {timeout} s{self._tail()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, _RECHECK))

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 5.0
    ) -> list[BotMessage]:
        """Wait until the chat shows at least `count` bot messages; returns them all."""

        def enough() -> list[BotMessage] | None:
            messages = self.messages(chat_id)
            return messages if len(messages) >= count else None

        try:
            return await self.wait_for(enough, timeout)
        except FakeTimeout as exc:
            have = len(self.messages(chat_id))
            raise FakeTimeout(f"chat {chat_id}: {have}/{count} bot messages; {exc}") from None

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no call arrived for `quiet` s, none is running and no update is pending."""
        core = self._core
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = core.in_flight > 0 or core.queue.pending > 0 or core.deliverer.busy
            idle_for = now - core.recorder.last_activity
            if not busy and idle_for >= quiet:
                return
            if now >= deadline:
                raise FakeTimeout(
                    f"not idle after {timeout} s: {core.in_flight} calls running, "
                    f"{core.queue.pending} updates not taken by the bot{self._tail()}"
                )
            pause = quiet - idle_for if not busy else 0.02
            await asyncio.sleep(max(0.01, min(pause, deadline - now)))

    def _tail(self, count: int = 12) -> str:
        lines = []
        for entry in self._core.recorder.transcript[-count:]:
            if isinstance(entry, Call):
                detail = entry.error or ""
                lines.append(f"  {entry.method} {entry.status} {detail}".rstrip())
            else:
                lines.append(f"  webhook update {entry.update_id} -> {entry.status} {entry.error}")
        return "\nlast calls:\n" + "\n".join(lines) if lines else "\n(no call received)"
