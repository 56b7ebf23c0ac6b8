"""The outbox dispatcher: delivers queued notifications through a channel's `Delivery`, once each.

A claimer leases due rows (`storage.outbox.claim`) into a small queue; `concurrency` workers send
them. Messages of one chat go out in order, one at a time. Pacing (≈30 messages/s overall, ≈1/s per
chat) is done by the channel's `Delivery` — for Telegram the `FloodControl` shared with live replies,
so the two never add up past the limits — and, for the outbox's own sends, by a `CompletionWindow`
that keeps the global budget even when the process stalls (bot/pacing.py). With several dispatcher
processes on PostgreSQL, give each `max_per_second` = 30 / number of processes. Storage is
synchronous: each claim and each recorded outcome is one short transaction handed to a worker thread
once (`asyncio.to_thread`), so the event loop never waits on the database. Outcomes:

- delivered → `sent` right after the call (its own short transaction);
- `RetryLater` (429) → back to `pending` at now + retry_after; that chat's other claimed messages
  wait with it, so the order holds;
- `TransientFailure` (timeout, 5xx) or an unexpected error → exponential backoff with jitter, and
  `undeliverable` after `max_attempts`;
- `Undeliverable` (403 blocked, chat gone) → `undeliverable` at once and the user flagged unreachable;
  any other `DeliveryError` (Telegram refused this message) → `undeliverable`, never retried.

Stopping (`stop` event or task cancellation) finishes the sends in flight, records them, and gives
the claimed but unsent rows back. A crash leaves rows `sending` until their lease expires; then any
dispatcher re-claims them (see storage/outbox.py for the one-message duplicate window this implies).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Delivery, DeliveryError, RetryLater, TransientFailure, Undeliverable
from bot.pacing import CompletionWindow
from storage import outbox
from storage.outbox import Claimed

log = logging.getLogger(__name__)

WINDOW_PERIOD = 1.0  # seconds; see bot/pacing.py


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0  # transient failures rescheduled
    rate_limited: int = 0  # 429 received
    undeliverable: int = 0
    released: int = 0  # claimed, given back untried
    lost_leases: int = 0  # a mark refused because another dispatcher took the row over

    def add(self, other: DispatchStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class OutboxDispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        delivery: Delivery,
        *,
        channel: str = "telegram",
        batch_size: int = 100,
        concurrency: int = 8,
        lease: timedelta = timedelta(seconds=120),
        lease_margin: timedelta = timedelta(seconds=15),
        backoff_base: float = 2.0,
        backoff_cap: float = 900.0,
        max_attempts: int = 12,
        poll_interval: float = 1.0,
        shutdown_grace: float = 10.0,
        max_per_second: int | None = 30,
        owner: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.sessions = sessions
        self.delivery = delivery
        self.channel = channel
        self.batch_size = batch_size
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.lease_margin = lease_margin
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_attempts = max_attempts
        self.poll_interval = poll_interval
        self.shutdown_grace = shutdown_grace
        self.owner = owner  # this instance's stable name: restarted, it takes its claims back
        self.clock = clock
        # The global budget as the server counts it (see bot/pacing.py).
        self._window = CompletionWindow(max_per_second, WINDOW_PERIOD) if max_per_second else None
        self.stats = DispatchStats()  # since creation
        self._stopping = asyncio.Event()
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._held_until: dict[str, datetime] = {}  # chats waiting after a failure, for order

    # -- running -----------------------------------------------------------------------------
    async def run_once(self, max_messages: int | None = None) -> DispatchStats:
        """Deliver what is due now (at most `max_messages`), then return; for tests and tools."""
        self._stopping.clear()
        return await self._shielded(self._drain(max_messages))

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        """Deliver until `stop` is set or the task is cancelled (both stop gracefully)."""
        stop = stop or asyncio.Event()
        self._stopping.clear()
        if self.owner:
            taken = await asyncio.to_thread(self._take_back_now)
            if taken:
                log.info("outbox: %d message(s) claimed before a restart are sent now", taken)
        failures = 0
        while not stop.is_set():
            watcher = asyncio.create_task(self._relay(stop))
            idle = True
            try:
                idle = (await self._shielded(self._drain(None))).claimed == 0
                failures = 0
            except Exception:  # the database went away, say: keep trying, never die silently
                failures += 1
                log.exception("outbox: dispatch round failed (%d in a row)", failures)
            finally:
                watcher.cancel()
            if idle:
                pause = self.poll_interval * min(2 ** max(failures - 1, 0), 60)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)

    async def _relay(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self._stopping.set()

    async def _shielded(self, work: Coroutine[Any, Any, DispatchStats]) -> DispatchStats:
        """Run `work`; if we are cancelled, let the sends in flight finish and be recorded first."""
        task = asyncio.ensure_future(work)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            self._stopping.set()
            done, _pending = await asyncio.wait({task}, timeout=self.shutdown_grace)
            if not done:
                log.warning(
                    "outbox: sends still in flight after %ss, abandoning them", self.shutdown_grace
                )
                task.cancel()
            raise

    # -- one drain: claim, send, record --------------------------------------------------------
    async def _drain(self, limit: int | None) -> DispatchStats:
        stats = DispatchStats()
        queue: asyncio.Queue[Claimed | None] = asyncio.Queue()
        workers = [asyncio.create_task(self._worker(queue, stats)) for _ in range(self.concurrency)]
        try:
            while not self._stopping.is_set():
                wanted = (
                    self.batch_size
                    if limit is None
                    else min(self.batch_size, limit - stats.claimed)
                )
                if wanted <= 0:
                    break
                # Claim again once the queue runs low, so the workers never wait for the database.
                while queue.qsize() > self.concurrency and not self._stopping.is_set():
                    await asyncio.sleep(0.01)
                items = await self._claim(wanted)
                stats.claimed += len(items)
                for item in items:
                    queue.put_nowait(item)
                if len(items) < wanted:
                    break
        finally:
            for _ in workers:
                queue.put_nowait(None)
            await asyncio.gather(*workers)
            self._chat_locks.clear()
            now = self.clock()
            self._held_until = {c: t for c, t in self._held_until.items() if t > now}
        self.stats.add(stats)
        return stats

    async def _claim(self, limit: int) -> list[Claimed]:
        return await asyncio.to_thread(self._claim_now, limit)

    def _take_back_now(self) -> int:
        assert self.owner is not None
        with self.sessions.begin() as session:
            return outbox.take_back(session, channel=self.channel, owner=self.owner)

    def _claim_now(self, limit: int) -> list[Claimed]:
        """One short transaction, in a worker thread (the event loop never waits on the database)."""
        with self.sessions() as session, session.begin():
            return outbox.claim(
                session,
                channel=self.channel,
                now=self.clock(),
                limit=limit,
                lease=self.lease,
                owner=self.owner,
            )

    async def _worker(self, queue: asyncio.Queue[Claimed | None], stats: DispatchStats) -> None:
        while (item := await queue.get()) is not None:
            if self._stopping.is_set():
                await self._record(stats, "released", outbox.release, item)
                continue
            # One message at a time per chat, in claim order (asyncio.Lock is first come, first served).
            async with self._chat_locks.setdefault(item.chat_id, asyncio.Lock()):
                await self._send(item, stats)

    async def _send(self, item: Claimed, stats: DispatchStats) -> None:
        now = self.clock()
        held = self._held_until.get(item.chat_id)
        if held is not None and held > now:
            await self._record(stats, "released", outbox.release, item, held)
            return
        self._held_until.pop(item.chat_id, None)
        if self._stopping.is_set() or now >= item.lease_until - self.lease_margin:
            await self._record(stats, "released", outbox.release, item)
            return
        try:
            if self._window is None:
                await self.delivery.deliver(item.chat_id, item.reply)
            else:
                async with self._window.slot():
                    await self.delivery.deliver(item.chat_id, item.reply)
        except RetryLater as exc:
            at = self.clock() + timedelta(seconds=max(exc.retry_after, 0.0))
            self._held_until[item.chat_id] = at
            log.info("outbox %s: 429, retry after %ss", item.key, exc.retry_after)
            await self._record(stats, "rate_limited", outbox.mark_retry, item, at, str(exc))
        except Undeliverable as exc:
            log.info("outbox %s: undeliverable: %s", item.key, exc)
            await self._undeliverable(stats, item, str(exc), unreachable=True)
        except TransientFailure as exc:
            await self._transient(stats, item, str(exc))
        except DeliveryError as exc:
            log.error("outbox %s: refused by the channel, dropped: %s", item.key, exc)
            await self._undeliverable(stats, item, str(exc), unreachable=False)
        except Exception as exc:  # a bug or an unmapped network error: retry, loudly
            log.exception("outbox %s: unexpected delivery error", item.key)
            await self._transient(stats, item, f"{type(exc).__name__}: {exc}")
        else:
            await self._record(stats, "sent", outbox.mark_sent, item, self.clock())

    async def _transient(self, stats: DispatchStats, item: Claimed, error: str) -> None:
        if item.attempts >= self.max_attempts:
            log.warning(
                "outbox %s: giving up after %d attempts: %s", item.key, item.attempts, error
            )
            await self._undeliverable(stats, item, f"gave up: {error}", unreachable=False)
            return
        delay = self.retry_delay(item.attempts) * random.uniform(0.8, 1.2)
        at = self.clock() + timedelta(seconds=delay)
        self._held_until[item.chat_id] = at
        log.info("outbox %s: %s, retrying at %s", item.key, error, at.isoformat())
        await self._record(stats, "retried", outbox.mark_retry, item, at, error)

    def retry_delay(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones (jitter added by the caller)."""
        return float(min(self.backoff_cap, self.backoff_base * 2 ** (max(attempts, 1) - 1)))

    async def _undeliverable(
        self, stats: DispatchStats, item: Claimed, error: str, *, unreachable: bool
    ) -> None:
        def mark(session: Session, item: Claimed) -> bool:
            return outbox.mark_undeliverable(session, item, error, unreachable=unreachable)

        await self._record(stats, "undeliverable", mark, item)

    async def _record(
        self,
        stats: DispatchStats,
        counter: str,
        mark: Callable[..., bool],
        item: Claimed,
        *args: object,
    ) -> None:
        """Write one outcome in its own transaction (one worker-thread call); retried briefly if
        the database hiccups."""
        done = False
        for attempt in range(5):
            try:
                done = await asyncio.to_thread(self._mark_now, mark, item, *args)
                break
            except Exception:
                if attempt == 4:
                    log.exception("outbox %s: could not record %s", item.key, counter)
                    return
                await asyncio.sleep(0.1 * 2**attempt)
        if not done:
            stats.lost_leases += 1
            log.warning("outbox %s: lease lost before recording %s", item.key, counter)
            return
        setattr(stats, counter, getattr(stats, counter) + 1)

    def _mark_now(self, mark: Callable[..., bool], item: Claimed, *args: object) -> bool:
        with self.sessions() as session, session.begin():
            return mark(session, item, *args)
