"""One way to run a unit of work in a transaction, retried on transient conflicts.

SQLite has one writer at a time and fails a deferred transaction at once (no busy wait) when another
writer committed between its read and its write; PostgreSQL reports serialisation failures and
unique-key races. All of these are transient: the work is rolled back whole and run again after a
short random backoff. The work must therefore be safe to re-run (it only touches the database, and
idempotency keys make repeats harmless).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.ports import Conflict

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 4
TRANSIENT = (Conflict, IntegrityError, OperationalError)


async def run_transaction(
    sessions: async_sessionmaker[AsyncSession],
    work: Callable[[AsyncSession], Awaitable[T]],
    *,
    attempts: int = ATTEMPTS,
    turns: asyncio.Lock | None = None,
) -> T:
    """Run `work(session)` inside `session.begin()` and commit; retry transient failures.

    `turns` makes units of work of one process take turns (SQLite: calmer and faster than letting
    them fail and retry). The last failure is raised when every attempt failed.
    """
    for attempt in range(attempts):
        try:
            if turns is None:
                return await _once(sessions, work)
            async with turns:
                return await _once(sessions, work)
        except TRANSIENT as exc:
            if attempt == attempts - 1:
                raise
            log.info("transaction retried after %s (attempt %d)", type(exc).__name__, attempt + 1)
            await asyncio.sleep(random.uniform(0, 0.02 * 2**attempt))
    raise AssertionError("unreachable: the loop returns or raises")


async def _once(
    sessions: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    async with sessions() as session, session.begin():
        return await work(session)
