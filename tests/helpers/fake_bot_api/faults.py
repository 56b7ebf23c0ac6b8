"""Fault injection and flood control: how the bot copes with a Telegram that says no.

Flood model (kept simple, documented): per chat a token bucket of `chat_burst` messages refilled
at `chat_rate` per second (Telegram tolerates short bursts, then wants about 1 message/s per
chat), and globally at most `global_per_second` sending calls in any sliding 1-second window.
Only sendMessage, sendDocument and sendPhoto count. A refused call is answered 429 with the
number of whole seconds after which it would pass, and does not consume capacity.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ApiError, injected, too_many_requests

SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})
SEND_EDIT_METHODS = SEND_METHODS | {"editmessagetext", "editmessagereplymarkup"}


def _names(methods: Iterable[str] | None) -> frozenset[str] | None:
    if methods is None:
        return None
    if isinstance(methods, str):
        methods = [methods]
    return frozenset(name.lower() for name in methods)


@dataclass
class _Rule:
    remaining: int
    status: int
    retry_after: int
    methods: frozenset[str] | None
    description: str | None

    def matches(self, method: str) -> bool:
        if self.methods is None:
            return method != "getupdates"
        return method in self.methods


class Faults:
    """Injected failures, latency and blocked chats; methods are matched case-insensitively."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._ratio = 0.0
        self._ratio_statuses: tuple[int, ...] = (429, 500)
        self._ratio_retry_after = 1
        self._ratio_methods: frozenset[str] = SEND_EDIT_METHODS
        self._random = random.Random(0)
        self._latency: dict[str | None, float] = {}
        self.blocked: set[int] = set()

    def fail_next(
        self,
        count: int = 1,
        status: int = 429,
        retry_after: int = 1,
        methods: Iterable[str] | None = None,
        description: str | None = None,
    ) -> None:
        """The next `count` matching calls fail (methods None = every method but getUpdates)."""
        self._rules.append(_Rule(count, status, retry_after, _names(methods), description))

    def fail_ratio(
        self,
        ratio: float,
        statuses: Iterable[int] = (429, 500),
        retry_after: int = 1,
        seed: int | None = 0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Fail that share of send/edit calls at random (seeded), with one of `statuses`."""
        if not 0.0 <= ratio <= 1.0:
            raise ValueError("ratio must be between 0 and 1")
        self._ratio = ratio
        self._ratio_statuses = tuple(statuses)
        self._ratio_retry_after = retry_after
        self._ratio_methods = _names(methods) or SEND_EDIT_METHODS
        self._random = random.Random(seed)

    def set_latency(self, seconds: float, methods: Iterable[str] | None = None) -> None:
        """Delay answers; methods None sets the default for every method but getUpdates."""
        names = _names(methods)
        for name in [None] if names is None else sorted(names):
            if seconds > 0:
                self._latency[name] = seconds
            else:
                self._latency.pop(name, None)

    def latency(self, method: str) -> float:
        if method in self._latency:
            return self._latency[method]
        return 0.0 if method == "getupdates" else self._latency.get(None, 0.0)

    def take(self, method: str) -> ApiError | None:
        """The injected failure for this call, if any (consumes one fail_next slot)."""
        for rule in self._rules:
            if rule.remaining > 0 and rule.matches(method):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._rules.remove(rule)
                return injected(rule.status, rule.retry_after, rule.description)
        if self._ratio and method in self._ratio_methods and self._random.random() < self._ratio:
            status = self._random.choice(self._ratio_statuses)
            return injected(status, self._ratio_retry_after)
        return None


class FloodLimiter:
    def __init__(
        self, *, chat_rate: float = 1.0, chat_burst: int = 3, global_per_second: int = 30
    ) -> None:
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.global_per_second = global_per_second
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._recent: deque[float] = deque()

    def admit(self, chat_id: int, now: float) -> None:
        """Record one sending call or raise the 429 Telegram would answer."""
        tokens, at = self._buckets.get(chat_id, (float(self.chat_burst), now))
        tokens = min(float(self.chat_burst), tokens + (now - at) * self.chat_rate)
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        waits: list[float] = []
        if tokens < 1.0:
            waits.append((1.0 - tokens) / self.chat_rate)
        if len(self._recent) >= self.global_per_second:
            waits.append(self._recent[0] + 1.0 - now)
        if waits:
            raise too_many_requests(max(1, math.ceil(max(waits))))
        self._buckets[chat_id] = (tokens - 1.0, now)
        self._recent.append(now)
