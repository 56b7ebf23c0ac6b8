"""One update at a time per chat, in arrival order; chats run concurrently.

Neither library isolates a chat's updates when handling them concurrently (aiogram's events isolation
is off by default, PTB's concurrent mode runs updates side by side), so a double tap or fast typing
could race the conversation. A `Turn` is taken synchronously when the handler starts — before any
await — so turns follow the order the library started the handlers in, which is update order. Each
turn waits for the previous one of its chat. A chat's lane is dropped as soon as no turn holds it, so
memory follows the number of busy chats, not of chats ever seen.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import TracebackType


@dataclass
class _Lane:
    tail: asyncio.Future[None] | None = None
    turns: int = 0


class Turn:
    """A place in a chat's queue: `async with turn:` runs when every earlier turn has finished."""

    def __init__(self, lanes: ChatLanes, key: int, previous: asyncio.Future[None] | None) -> None:
        self._lanes = lanes
        self._key = key
        self._previous = previous
        self._done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._released = False

    @property
    def done(self) -> asyncio.Future[None]:
        return self._done

    async def wait(self) -> None:
        if self._previous is not None and not self._previous.done():
            await asyncio.shield(self._previous)

    def release(self) -> None:
        """Let the next turn run; if ours never ran, only once the previous one has finished."""
        if self._released:
            return
        self._released = True
        previous = self._previous
        if previous is None or previous.done():
            self._done.set_result(None)
        else:
            previous.add_done_callback(lambda _f: self._done.set_result(None))
        self._lanes._left(self._key, self)

    async def __aenter__(self) -> Turn:
        try:
            await self.wait()
        except BaseException:
            self.release()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class ChatLanes:
    """Per-chat FIFO of turns."""

    def __init__(self) -> None:
        self._lanes: dict[int, _Lane] = {}

    def turn(self, key: int) -> Turn:
        """Take the next place in this chat's queue. Synchronous on purpose: call it first."""
        lane = self._lanes.setdefault(key, _Lane())
        turn = Turn(self, key, lane.tail)
        lane.tail = turn.done
        lane.turns += 1
        return turn

    def _left(self, key: int, turn: Turn) -> None:
        lane = self._lanes.get(key)
        if lane is None:
            return
        lane.turns -= 1
        if lane.turns <= 0:
            del self._lanes[key]

    def __len__(self) -> int:
        """Chats with a turn queued or running."""
        return len(self._lanes)
