"""How messages reach a person on a channel, and how delivery fails.

Channels implement `Delivery`; the outbox dispatcher and the reply path use it, so that flood limits,
retries and "blocked by the user" are handled in one place per channel.
"""

from __future__ import annotations

from typing import Protocol

from dialogs.replies import Reply


class DeliveryError(Exception):
    """Base of every delivery failure."""


class RetryLater(DeliveryError):
    """The channel asked us to slow down (Telegram 429): wait `retry_after` seconds, then retry."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"retry after {retry_after}s")
        self.retry_after = retry_after


class TransientFailure(DeliveryError):
    """Timeouts, 5xx, network errors: retry with backoff."""


class Undeliverable(DeliveryError):
    """The person blocked the bot or the chat is gone (Telegram 403/400 chat not found): never retry."""


class Delivery(Protocol):
    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        """Send `reply` as a new message (edit flags are ignored); return the channel's message id."""
        ...
