"""The update queue behind getUpdates and webhook delivery.

An update stays queued until confirmed: by a getUpdates `offset` above its id (polling) or by a
2xx webhook answer. A *redelivery* (same update_id queued again, for duplicate tests) survives
the offset the bot already holds until it has been handed out once, and is handed out alone so
the client's next offset cannot skip newer updates.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from .records import Recorder

# Telegram's default when allowed_updates is empty or was never given.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass(eq=False)
class Entry:
    update_id: int
    update: dict[str, Any]
    redelivery: bool = False
    handed_out: bool = False
    in_flight: bool = False

    @property
    def kind(self) -> str:
        return next((key for key in self.update if key != "update_id"), "")

    @property
    def chat_key(self) -> int:
        """Updates of one chat are delivered to a webhook one at a time, in order."""
        body = self.update.get(self.kind) or {}
        chat = (body.get("message") or body).get("chat") or {}
        sender = body.get("from") or {}
        return int(chat.get("id") or sender.get("id") or 0)


class UpdateQueue:
    def __init__(self, recorder: Recorder, first_update_id: int = 1) -> None:
        self._recorder = recorder
        self._entries: list[Entry] = []
        self._next_id = first_update_id
        self.history: dict[int, dict[str, Any]] = {}
        self.allowed_updates: frozenset[str] | None = None
        self._event = asyncio.Event()
        self._poll_owner: object | None = None

    # -- producing -------------------------------------------------------------------------
    def put(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        update_id = self._next_id
        self._next_id += 1
        update = {"update_id": update_id, kind: body}
        self.history[update_id] = update
        self._entries.append(Entry(update_id, update))
        self._recorder.stats.updates_queued += 1
        self.wake()
        return update

    def redeliver(self, update_id: int) -> dict[str, Any]:
        update = self.history.get(update_id)
        if update is None:
            raise LookupError(f"no update with update_id {update_id} was ever queued")
        self._entries.append(Entry(update_id, update, redelivery=True))
        self._recorder.stats.updates_queued += 1
        self.wake()
        return update

    def clear(self) -> None:
        """drop_pending_updates: forget everything not confirmed yet."""
        self._entries = [entry for entry in self._entries if entry.in_flight]
        self.wake()

    # -- signalling ------------------------------------------------------------------------
    def changed(self) -> asyncio.Event:
        return self._event

    def wake(self, *, activity: bool = True) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()
        self._recorder.notify(activity=activity)

    @property
    def pending(self) -> int:
        """Updates not yet handed to the bot (polling) or not yet accepted (webhook)."""
        return sum(not entry.handed_out for entry in self._entries)

    @property
    def unconfirmed(self) -> int:
        return len(self._entries)

    def set_allowed(self, allowed: Any) -> None:
        if isinstance(allowed, list):
            self.allowed_updates = frozenset(map(str, allowed)) or None

    def _allowed(self, entry: Entry) -> bool:
        if self.allowed_updates is None:
            return entry.kind not in _NOT_BY_DEFAULT
        return entry.kind in self.allowed_updates

    def _drop_unwanted(self) -> None:
        self._entries = [e for e in self._entries if e.in_flight or self._allowed(e)]

    # -- polling ---------------------------------------------------------------------------
    def begin_poll(self) -> object:
        """A new getUpdates terminates the one in progress, as on Telegram."""
        owner = object()
        self._poll_owner = owner
        self.wake(activity=False)
        return owner

    @property
    def polling(self) -> bool:
        return self._poll_owner is not None

    def owns_poll(self, owner: object) -> bool:
        return self._poll_owner is owner

    def end_poll(self, owner: object) -> None:
        if self._poll_owner is owner:
            self._poll_owner = None

    def confirm(self, offset: int) -> None:
        if offset < 0:
            self._entries = self._entries[offset:]
        elif offset > 0:
            self._entries = [
                entry
                for entry in self._entries
                if entry.update_id >= offset or (entry.redelivery and not entry.handed_out)
            ]

    def poll_batch(self, limit: int) -> list[dict[str, Any]]:
        self._drop_unwanted()
        batch: list[Entry] = []
        for entry in self._entries:
            fresh_redelivery = entry.redelivery and not entry.handed_out
            if fresh_redelivery and batch:
                break
            batch.append(entry)
            if fresh_redelivery or len(batch) >= limit:
                break
        for entry in batch:
            entry.handed_out = True
        if batch:
            self._recorder.notify()
        return [entry.update for entry in batch]

    # -- webhook ---------------------------------------------------------------------------
    def webhook_ready(self, busy_chats: set[int], room: int) -> list[Entry]:
        """The next update of every chat that has nothing in flight, oldest first."""
        self._drop_unwanted()
        ready: list[Entry] = []
        seen: set[int] = set()
        for entry in self._entries:
            if len(ready) >= room:
                break
            key = entry.chat_key
            if key in seen:
                continue
            seen.add(key)
            if not entry.in_flight and key not in busy_chats:
                ready.append(entry)
        return ready

    def complete(self, entry: Entry) -> None:
        if entry in self._entries:
            self._entries.remove(entry)
        self.wake()

    def release(self, entry: Entry) -> None:
        entry.in_flight = False
        self.wake(activity=False)
