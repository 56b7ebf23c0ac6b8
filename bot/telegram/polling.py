"""Long polling that confirms an update only once it is in the inbox (see `bot.telegram.inbox`).

getUpdates is called directly over HTTP (the same for both libraries): a batch is written to the
inbox, and only the next call, with `offset` past the batch, tells Telegram to forget it. Updates
are then handled through the adapter's `feed`, the path webhook updates take. Errors never stop the
loop: 429 waits `retry_after`, a conflict (webhook set, another poller) or a server error backs off.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from bot.telegram.inbox import Feed, InboxFeed, MemoryInbox, Update, UpdateInbox
from bot.telegram.options import TelegramOptions

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
FLUSH_EVERY = 1.0  # seconds: under steady traffic a poll never comes back empty


class Poller:
    def __init__(
        self, options: TelegramOptions, feed: InboxFeed, client: httpx.AsyncClient | None = None
    ) -> None:
        self.options = options
        self.feed = feed
        self._url = f"{options.api_server}/bot{options.token}/"
        timeout = httpx.Timeout(10.0, read=options.polling_timeout + 10.0)
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._task: asyncio.Task[None] | None = None
        self.offset: int | None = None
        self._flushed = 0.0

    async def start(self) -> None:
        """Drop any webhook (getUpdates is refused under one), handle what the inbox holds, poll."""
        await self._call("deleteWebhook", {"drop_pending_updates": False})
        await self.feed.replay()
        self._task = asyncio.create_task(self._loop(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop asking; updates received and not handled stay in the inbox for the next start."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.feed.wait()
        await self._client.aclose()

    async def _loop(self) -> None:
        backoff = 1.0
        while True:
            try:
                updates = await self.poll_once()
                backoff = 1.0
            except asyncio.CancelledError:
                raise
            except _RetryAfter as wait:
                await asyncio.sleep(wait.seconds)
            except Exception as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            else:
                now = asyncio.get_running_loop().time()
                if not updates or now - self._flushed >= FLUSH_EVERY:
                    self._flushed = now  # handled updates leave the inbox, a batch at a time
                    await self.feed.flush()

    async def poll_once(self) -> list[Update]:
        """One getUpdates: store the batch, then start handling it; the next call confirms it."""
        params: dict[str, Any] = {
            "timeout": self.options.polling_timeout,
            "allowed_updates": list(self.options.allowed_updates),
        }
        if self.offset is not None:
            params["offset"] = self.offset
        result = await self._call("getUpdates", params)
        updates = [u for u in result if _valid(u)] if isinstance(result, list) else []
        await self.feed.store(updates)
        for update in updates:
            self.offset = max(self.offset or 0, int(update["update_id"]) + 1)
            self.feed.start(update)
        return updates

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        response = await self._client.post(self._url + method, json=params)
        try:
            body = response.json()
        except ValueError:
            response.raise_for_status()
            raise
        if body.get("ok"):
            return body.get("result")
        retry = (body.get("parameters") or {}).get("retry_after")
        if response.status_code == 429 and isinstance(retry, int | float):
            raise _RetryAfter(float(retry))
        raise RuntimeError(f"{method}: {response.status_code} {body.get('description', '')}")


class _RetryAfter(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


def _valid(update: object) -> bool:
    return isinstance(update, dict) and isinstance(update.get("update_id"), int)


class Receiver:
    """How an adapter receives updates, polling or webhook, always through the inbox: the adapter
    gives its library's processing of one update (`process`) and calls `start`, `feed`, `stop`."""

    def __init__(self, options: TelegramOptions, inbox: UpdateInbox | None, process: Feed) -> None:
        bot_id = options.token.split(":", 1)[0]
        self.options = options
        self.inboxed = InboxFeed(inbox or MemoryInbox(), f"telegram:{bot_id}", process)
        self.poller: Poller | None = None
        self._since_flush = 0

    async def start(self) -> None:
        """Handle what a previous run left in the inbox; in polling mode, start polling."""
        if self.options.webhook:
            await self.inboxed.replay()
            return
        self.poller = Poller(self.options, self.inboxed)
        await self.poller.start()

    async def feed(self, update: Update) -> None:
        """A webhook update: stored before the route answers Telegram, then handled to the end."""
        await self.inboxed.store([update])
        await self.inboxed.handle(update)
        self._since_flush += 1
        if self._since_flush >= WEBHOOK_FLUSH_EVERY:
            self._since_flush = 0
            await self.inboxed.flush()

    async def stop(self) -> None:
        if self.poller is not None:
            await self.poller.stop()
            self.poller = None
        else:
            await self.inboxed.wait()


WEBHOOK_FLUSH_EVERY = 32
