"""One SQLite writer at a time inside a process, handed over at once instead of polled for.

SQLite lets one connection write at a time. A connection that finds the lock taken sleeps in
SQLite's busy handler (1, 2, 5, 10… up to 100 ms between tries) and keeps missing the free moments
while others take the lock between its tries. In `ecoclic serve` during a reminder tick (a write
per batch of 500 messages), the dispatcher's marks (one per message sent) and chat events all
write: a chat event's `BEGIN IMMEDIATE` waited hundreds of ms, once about a second. So the writers
of one engine queue on a process-wide lock before `BEGIN IMMEDIATE`; the next one starts the moment
the previous one commits or rolls back. Other processes (a cron `ecoclic reminders tick`) still
meet the busy handler, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

HELD = "ecoclic_writer_lock"  # in the pooled connection's info while it holds the lock
WAIT_SECONDS = 10.0  # past this, write anyway and let SQLite's busy timeout decide


class WriterLock:
    """The process's turn to write, for one engine. Released from whichever thread ends the
    transaction (a threading.Lock, not an RLock)."""

    def __init__(self, wait: float = WAIT_SECONDS) -> None:
        self._lock = threading.Lock()
        self._wait = wait

    def acquire(self, info: dict[Any, Any]) -> None:
        if info.get(HELD):
            return
        if self._lock.acquire(timeout=self._wait):
            info[HELD] = True

    def release(self, info: dict[Any, Any]) -> None:
        if info.pop(HELD, False):
            self._lock.release()


def queue_writers(engine: Engine, read_only: Callable[[Any], bool]) -> None:
    """Begin the engine's transactions: `BEGIN DEFERRED` when `read_only(conn)`, otherwise the
    process's writer lock then `BEGIN IMMEDIATE`; the lock is released when the transaction ends,
    however it ends."""
    lock = WriterLock()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if read_only(conn):  # reads a WAL snapshot: takes no turn
            conn.exec_driver_sql("BEGIN DEFERRED")
            return
        lock.acquire(conn.info)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            lock.release(conn.info)
            raise

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        lock.release(conn.info)

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        lock.release(conn.info)

    # A connection back in the pool, or dropped, holds no turn.
    @event.listens_for(engine.pool, "reset")
    def _reset(_dbapi_conn: Any, record: Any, _state: Any) -> None:
        lock.release(record.info)

    @event.listens_for(engine.pool, "invalidate")
    def _invalidate(_dbapi_conn: Any, record: Any, _exc: Any) -> None:
        lock.release(record.info)

    @event.listens_for(engine.pool, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:
        lock.release(record.info)
