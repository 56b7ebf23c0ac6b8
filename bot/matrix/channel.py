"""The Matrix channel: room messages in, engine events through the service, `m.notice` replies out.

Start-up follows what end-to-end encryption needs: one sync, then the device keys are uploaded,
then pending direct-room invitations are joined, then the sync loop runs (our own loop rather than
nio's `sync_forever`, which stops at the first exception in a callback). Each sync's room events are
handed to one task per room, behind that room's lock (first come, first served), so a room's
messages run in order and rooms run side by side. The service dedupes by Matrix event id. Messages
that could not be decrypted yet (their key arrives later) are kept and retried after each sync.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from nio import (
    AsyncClient,
    JoinError,
    MegolmEvent,
    RoomMessage,
    RoomMessageNotice,
    RoomMessagesResponse,
    SyncError,
    SyncResponse,
)

from bot.handler import ChatHandler
from bot.matrix.client import MatrixSender, SyncTokenFile
from bot.matrix.incoming import Undecrypted, event_of, is_direct_invite, maintain_keys, sender_of
from bot.matrix.render import Choices
from dialogs.events import Event
from dialogs.replies import Reply

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
HISTORY_GRACE = 15 * 60.0  # seconds: older messages (history before start) are not answered


class MatrixChannel:
    def __init__(
        self,
        client: AsyncClient,
        service: ChatHandler,
        sender: MatrixSender,
        tokens: SyncTokenFile | None = None,
    ) -> None:
        self.client = client
        self.tokens = tokens
        self.service = service
        self.sender = sender
        self.choices: Choices = sender.choices
        self.on_done: list[Callable[[str, Event], None]] = []  # observers (tests, metrics)
        self.started_at = time.time()
        self._locks: dict[str, asyncio.Lock] = {}
        self._queued: dict[str, int] = {}  # batches per room, to drop idle rooms' locks
        self._tasks: set[asyncio.Task[None]] = set()
        self.undecrypted = Undecrypted()
        self._loop: asyncio.Task[None] | None = None
        self._recalled: set[str] = set()  # rooms whose last keyboard was looked up after start
        # Sync tokens not saved yet, each with the tasks in flight when it came: a token is saved
        # only once those are handled, so a crash replays (deduped) rather than loses events.
        self._unsaved: list[tuple[str, set[asyncio.Task[None]]]] = []
        self._handled = ""

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    async def start(self) -> None:
        """First sync, keys, pending invitations; then the sync loop in the background."""
        self.started_at = time.time()
        first = await self.client.sync(timeout=0, full_state=True)
        if isinstance(first, SyncError):
            raise ConnectionError(f"première synchronisation refusée : {first}")
        await maintain_keys(self.client)
        await self._after_sync(first)
        self._loop = asyncio.create_task(self._sync_loop(), name="matrix-sync")

    async def stop(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)
        self._save_handled(now=True)
        await self.client.close()

    async def _sync_loop(self) -> None:
        failures = 0
        while True:
            try:
                response = await self.client.sync(timeout=SYNC_TIMEOUT_MS)
                if isinstance(response, SyncError):
                    raise ConnectionError(str(response))
                failures = 0
                await maintain_keys(self.client)
                await self._after_sync(response)
            except asyncio.CancelledError:
                raise
            except Exception:  # the homeserver went away, say: keep trying, never die silently
                failures += 1
                log.exception("matrix: sync failed (%d in a row)", failures)
                await asyncio.sleep(min(2**failures, 60))

    async def _after_sync(self, response: SyncResponse) -> None:
        for room_id, info in response.rooms.invite.items():
            if is_direct_invite(info.invite_state, self.user_id):
                joined = await self.client.join(room_id)
                if isinstance(joined, JoinError):
                    log.warning("matrix: could not join %s: %s", room_id, joined)
        batches: dict[str, list[RoomMessage | MegolmEvent]] = {}
        for room_id, decrypted in self.undecrypted.retry(self.client.decrypt_event):
            batches.setdefault(room_id, []).append(decrypted)
        for room_id, joined_info in response.rooms.join.items():
            for event in joined_info.timeline.events:
                if isinstance(event, RoomMessage | MegolmEvent) and self._is_new(event):
                    batches.setdefault(room_id, []).append(event)
        for room_id, events in batches.items():
            self._spawn(room_id, events)
        self._unsaved.append((response.next_batch, set(self._tasks)))
        self._save_handled()

    def _save_handled(self, *, now: bool = False) -> None:
        """Save the newest sync token whose events are all handled (see `_unsaved`)."""
        while self._unsaved and all(task.done() for task in self._unsaved[0][1]):
            self._handled = self._unsaved.pop(0)[0]
        if self.tokens is not None and self._handled:
            self.tokens.save(self._handled, now=now)

    def _is_new(self, event: RoomMessage | MegolmEvent) -> bool:
        """From someone else, not a bot's notice, not history from before the start."""
        if event.sender == self.user_id or isinstance(event, RoomMessageNotice):
            return False
        return bool(event.server_timestamp / 1000 >= self.started_at - HISTORY_GRACE)

    def _spawn(self, room_id: str, events: list[RoomMessage | MegolmEvent]) -> None:
        lock = self._locks.setdefault(room_id, asyncio.Lock())
        self._queued[room_id] = self._queued.get(room_id, 0) + 1
        task = asyncio.create_task(self._run_room(room_id, lock, events))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _task: self._save_handled())

    async def _run_room(
        self, room_id: str, lock: asyncio.Lock, events: list[RoomMessage | MegolmEvent]
    ) -> None:
        async with lock:  # asyncio.Lock is FIFO: a room's batches run in sync order
            for event in events:
                try:
                    await self.handle(room_id, event)
                except Exception:  # one bad event must not stop the others
                    log.exception("matrix: event %s in %s failed", event.event_id, room_id)
        self._queued[room_id] -= 1
        if not self._queued[room_id]:
            del self._queued[room_id], self._locks[room_id]

    async def handle(self, room_id: str, event: RoomMessage | MegolmEvent) -> None:
        if isinstance(event, MegolmEvent):
            log.info("matrix: %s not decrypted yet, kept for later", event.event_id)
            self.undecrypted.keep(room_id, event)
            return
        if room_id not in self._recalled and not self.choices.knows(room_id):
            await self._recall(room_id)
        incoming = event_of(self.choices, room_id, event)
        if incoming is None:
            return
        sender = sender_of(self.client.rooms.get(room_id), room_id, event.sender)
        outcome = await self.service.handle(sender, incoming)
        self.choices.expect_text(room_id, outcome.expects_text)
        replies = list(outcome.replies)
        if outcome.toast and not replies:
            replies.append(Reply(outcome.toast))
        for reply in replies:
            edits = incoming.message_ref if reply.edit else None
            await self.sender.send(room_id, reply, edits=edits)
        if outcome.replies and incoming.event_id:  # a redelivery won't send them again
            await self.service.replies_sent(sender, incoming.event_id)
        for observer in self.on_done:
            observer(room_id, incoming)

    async def _recall(self, room_id: str) -> None:
        """The room's last keyboard from our recent messages (memory is lost at a restart)."""
        self._recalled.add(room_id)
        try:
            found = await self.client.room_messages(room_id, limit=20)
        except Exception:  # without it a typed number is plain text: no reason to drop the event
            log.warning("matrix: history of %s unavailable", room_id, exc_info=True)
            return
        if isinstance(found, RoomMessagesResponse):
            own = [(e.event_id, e.source.get("content", {})) for e in found.chunk if e.sender == self.user_id]  # fmt: skip
            self.choices.recall(room_id, own)
