"""Updates are written down before Telegram is told they arrived, and handled from there.

Both libraries' own long polling confirm a batch (by asking for the next one) before handling it,
and a webhook may be answered before its update is handled: a process killed at that moment lost
the tap for good. Here every update first goes into an `UpdateInbox` (the database, in production),
then Telegram may forget it; once the update is handled and its replies sent, it leaves the inbox.
At start the updates a crash left in the inbox are handled again, in order: the service's dedupe on
update id makes a handled one cost nothing, and gives back the replies it kept if they were never
sent (see `ecoclic.service`), so nothing is lost and nothing is done twice.

Leaving the inbox is batched (one DELETE per `flush`): a crash before the flush only means handled
updates are looked at again, which the dedupe makes harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)

Update = dict[str, Any]
Feed = Callable[[Update], Awaitable[None]]


class UpdateInbox(Protocol):
    """Durable storage of received updates (`storage.inbox.SqlInbox`); synchronous calls, run in a
    worker thread by `InboxFeed`."""

    def put(self, channel: str, updates: Sequence[Update]) -> None:
        """Store updates (an update already stored is ignored)."""
        ...

    def pending(self, channel: str) -> list[Update]:
        """The updates stored and not done, by update id."""
        ...

    def done(self, channel: str, update_ids: Sequence[int]) -> None: ...

    def close(self) -> None:
        """Release what the inbox holds open (the channel stopped; a later call opens it again)."""
        ...


class MemoryInbox:
    """An inbox that does not survive the process: for a bot run without a database (tests)."""

    def __init__(self) -> None:
        self.updates: dict[tuple[str, int], Update] = {}

    def put(self, channel: str, updates: Sequence[Update]) -> None:
        for update in updates:
            self.updates.setdefault((channel, int(update["update_id"])), update)

    def pending(self, channel: str) -> list[Update]:
        return [u for (c, _), u in sorted(self.updates.items()) if c == channel]

    def done(self, channel: str, update_ids: Sequence[int]) -> None:
        for update_id in update_ids:
            self.updates.pop((channel, update_id), None)

    def close(self) -> None:
        pass


class InboxFeed:
    """Wraps an adapter's `feed` (one update handled to the end) with the inbox."""

    def __init__(self, inbox: UpdateInbox, channel: str, feed: Feed) -> None:
        self.inbox = inbox
        self.channel = channel
        self._feed = feed
        self._done: list[int] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def store(self, updates: Sequence[Update]) -> None:
        """Write updates down; only after this may Telegram be told they were received."""
        if updates:
            await asyncio.to_thread(self.inbox.put, self.channel, updates)

    def start(self, update: Update) -> asyncio.Task[None]:
        """Handle a stored update in a task (tasks start in order: each chat keeps its order)."""
        task = asyncio.create_task(self._quietly(update), name=f"update-{update.get('update_id')}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def handle(self, update: Update) -> None:
        """Handle one stored update; it leaves the inbox only if that went through."""
        try:
            await self._feed(update)
        except Exception:
            log.exception("update %s failed; it stays in the inbox", update.get("update_id"))
            raise
        self._done.append(int(update["update_id"]))

    async def _quietly(self, update: Update) -> None:
        with contextlib.suppress(Exception):  # logged by handle; the update stays in the inbox
            await self.handle(update)

    async def replay(self) -> int:
        """Start the updates a previous run left in the inbox; return how many."""
        left = await asyncio.to_thread(self.inbox.pending, self.channel)
        if left:
            log.info("%d update(s) received before a restart are handled now", len(left))
        for update in left:
            self.start(update)
        return len(left)

    async def flush(self) -> None:
        """Remove the handled updates from the inbox (one write for the lot)."""
        done, self._done = self._done, []
        if done:
            try:
                await asyncio.to_thread(self.inbox.done, self.channel, done)
            except Exception:  # looked at again after a restart: harmless
                log.exception("could not clear %d handled update(s) from the inbox", len(done))

    async def wait(self, timeout: float = 30.0) -> None:
        """Let the updates being handled finish (bounded), then flush."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
        await self.flush()
        self.inbox.close()
