"""Webhook mode: POST queued updates to the bot, one at a time per chat, retrying failures.

Like Telegram: the JSON Update is the body, `X-Telegram-Bot-Api-Secret-Token` carries the secret,
any non-2xx answer or connection error means "try the same update again later" (bounded attempts,
short exponential backoff), and the next update of that chat waits for the answer.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import aiohttp

from .records import Delivery, Recorder
from .updates import Entry, UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDeliverer:
    def __init__(
        self,
        queue: UpdateQueue,
        recorder: Recorder,
        on_error: Callable[[str], None],
        *,
        max_attempts: int = 5,
        retry_delay: float = 0.05,
        timeout: float = 5.0,
    ) -> None:
        self._queue = queue
        self._recorder = recorder
        self._on_error = on_error
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.url = ""
        self.secret: str | None = None
        self.max_connections = 40
        self._loop_task: asyncio.Task[None] | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self._busy_chats: set[int] = set()
        self._session: aiohttp.ClientSession | None = None

    @property
    def busy(self) -> bool:
        return bool(self._deliveries)

    def start(self, url: str, secret: str | None, max_connections: int) -> None:
        self.url, self.secret, self.max_connections = url, secret, max_connections
        if self._loop_task is None:
            self._session = aiohttp.ClientSession()
            self._loop_task = asyncio.create_task(self._run(), name="fake-bot-api-webhook")
        self._queue.wake(activity=False)

    async def stop(self) -> None:
        """Stop delivering; updates in flight go back to the queue for getUpdates."""
        tasks = [task for task in (self._loop_task, *self._deliveries) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop_task = None
        self._deliveries.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        while True:
            changed = self._queue.changed()
            room = self.max_connections - len(self._deliveries)
            for entry in self._queue.webhook_ready(self._busy_chats, room):
                entry.in_flight = True
                self._busy_chats.add(entry.chat_key)
                task = asyncio.create_task(self._deliver(entry))
                self._deliveries.add(task)
            await changed.wait()

    async def _deliver(self, entry: Entry) -> None:
        key = entry.chat_key
        try:
            for attempt in range(1, self.max_attempts + 1):
                delivery = await self._post(entry, attempt)
                self._recorder.delivery(delivery)
                if delivery.ok:
                    self._queue.complete(entry)
                    return
                self._on_error(delivery.error or "Delivery failed")
                if attempt < self.max_attempts:
                    await asyncio.sleep(min(1.0, self.retry_delay * 2 ** (attempt - 1)))
            self._recorder.stats.webhook_abandoned += 1
            self._queue.complete(entry)
        finally:
            current = asyncio.current_task()
            if current is not None:
                self._deliveries.discard(current)
            self._busy_chats.discard(key)
            self._queue.release(entry)

    async def _post(self, entry: Entry, attempt: int) -> Delivery:
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers[SECRET_HEADER] = self.secret
        started, at = time.monotonic(), time.time()
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(
                self.url,
                data=json.dumps(entry.update),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                await response.read()
                status = response.status
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {exc}"
        duration = time.monotonic() - started
        return Delivery(entry.update_id, self.url, attempt, status, at, duration, error)
