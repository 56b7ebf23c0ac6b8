"""Keep the serving process's heap from growing with its threads (glibc only; elsewhere a no-op).

`ecoclic serve` runs the event loop, the chat worker, the outbox dispatcher's and the reminder
tick's threads. glibc gives each thread that allocates a malloc arena of its own (up to 8 per
core) and returns freed memory to the system only from the top of each heap: a reminder tick that
queues 81,000 messages left tens of MB resident, spread over arenas, after the tick was over.
`limit_arenas` (at start, before any thread) makes the threads share two arenas; `trim` (every
`ecoclic.reminders.TRIM_EVERY` batches of a tick) hands the free pages back. Measured with
`benchmarks/serve_rss.py` at 36,000 collectivités: the tick's peak RSS increment fell from
~30 MiB to ~12 MiB.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from typing import Any

M_ARENA_MAX = -8  # mallopt parameter (glibc malloc.h)
ARENAS = 2


@functools.cache
def _glibc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(count: int = ARENAS) -> None:
    """Let the process's threads share `count` malloc arenas (call before starting threads)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, count)


def trim() -> None:
    """Give the heap's free pages back to the system."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
