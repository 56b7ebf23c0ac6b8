"""One way to run a unit of work in a transaction, retried on transient conflicts.

PostgreSQL reports serialisation failures and unique-key races; SQLite, whose writers queue on
`BEGIN IMMEDIATE` (see storage.db), can still time out on a very long wait. All of these are
transient: the work is rolled back whole and run again after a short random backoff. The work must
therefore be safe to re-run (it only touches the database, and idempotency keys make repeats
harmless). It runs in the caller's thread, start to commit: async callers give it a thread once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from dialogs.ports import Conflict

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 4
TRANSIENT = (Conflict, IntegrityError, OperationalError)


def run_transaction(
    sessions: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = ATTEMPTS,
) -> T:
    """Run `work(session)` inside `session.begin()` and commit; retry transient failures.

    The last failure is raised when every attempt failed.
    """
    for attempt in range(attempts):
        try:
            with sessions() as session, session.begin():
                return work(session)
        except TRANSIENT as exc:
            if attempt == attempts - 1:
                raise
            log.info("transaction retried after %s (attempt %d)", type(exc).__name__, attempt + 1)
            time.sleep(random.uniform(0, 0.02 * 2**attempt))
    raise AssertionError("unreachable: the loop returns or raises")
