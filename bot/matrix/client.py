"""The nio client, opened safely, and every message the bot sends, paced.

`open_client` reuses one access token and its device (Tchap asks bots not to log in at each start,
which would create a device each time), creates the key store folder, and refuses to go on when
end-to-end encryption is not active: without it nio would send plaintext into encrypted rooms.

`MatrixSender` sends `m.notice` messages, edits and files (`m.file`, see `files`) for live replies
and for the outbox (it is the channel's `Delivery`). Pacing (`pacing.RoomPacing`) follows Tchap's guidance for bots: about one call per second per room
after a short burst (a GCRA per room), and a global budget as the server counts it
(`bot.pacing.CompletionWindow`). nio retries 429 forever by default; here it returns them
(`max_limit_exceeded=0`): live replies wait `retry_after_ms` a few times, the outbox reschedules.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import ClientError
from nio import AsyncClient, AsyncClientConfig, ErrorResponse, LocalProtocolError, RoomSendResponse
from nio.store import DefaultStore

from bot.delivery import DeliveryError, RetryLater, TransientFailure, Undeliverable
from bot.matrix.files import FileNotSent, Uploads
from bot.matrix.pacing import RoomPacing as RoomPacing  # also imported from here
from bot.matrix.render import NOTICE, Choices, notice, replacement
from dialogs.replies import Reply

log = logging.getLogger(__name__)

LIVE_RETRIES = 3  # 429 waits for a live reply before giving up on it
GONE = {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN"}


class LeanStore(DefaultStore):  # type: ignore[misc]
    """nio's key store, minus a transaction after every sync to save an empty set of rooms."""

    def save_encrypted_rooms(self, rooms: set[str]) -> None:
        if rooms:
            super().save_encrypted_rooms(rooms)


class EncryptionUnavailable(RuntimeError):
    """nio runs without its encryption machine (no vodozemac, or no key store)."""


@dataclass(frozen=True)
class MatrixOptions:
    homeserver: str
    user_id: str
    access_token: str
    device_id: str
    store: Path
    room_rate: float = 1.0  # messages per second per room, after `room_burst`
    room_burst: int = 3
    global_rate: int = 10  # messages per second for the whole bot


def open_client(options: MatrixOptions) -> AsyncClient:
    options.store.mkdir(parents=True, exist_ok=True)
    unavailable = EncryptionUnavailable(
        "chiffrement de bout en bout indisponible (installez matrix-nio[e2e] ; "
        f"dossier des clés : {options.store})"
    )
    try:
        config = AsyncClientConfig(
            store=LeanStore,
            store_sync_tokens=False,  # kept by `SyncTokenFile`, far cheaper
            encryption_enabled=True,
            max_limit_exceeded=0,
            max_timeouts=2,
            request_timeout=30,
        )
    except ImportWarning as exc:  # nio says so when vodozemac is missing
        raise unavailable from exc
    client = AsyncClient(
        options.homeserver,
        options.user_id,
        device_id=options.device_id,
        store_path=str(options.store),
        config=config,
    )
    client.restore_login(options.user_id, options.device_id, options.access_token)
    if client.olm is None:
        raise unavailable
    client.loaded_sync_token = SyncTokenFile(options.store).load()  # resume where we stopped
    return client


class SyncTokenFile:
    """Where the last sync stopped. nio's `store_sync_tokens` writes it to its SQLite store after
    every sync (≈30 ms with the commit, on the event loop, several syncs per message); here a small
    file, written at most every `every` seconds and at stop (after a crash the service dedupes)."""

    def __init__(self, store: Path, every: float = 5.0) -> None:
        self.path = store / "sync-token"
        self.every = every
        self._saved = ""
        self._at = 0.0

    def load(self) -> str | None:
        try:
            return self.path.read_text().strip() or None
        except FileNotFoundError:
            return None

    def save(self, token: str, *, now: bool = False) -> None:
        if (
            not token
            or token == self._saved
            or (not now and time.monotonic() - self._at < self.every)
        ):
            return
        partial = self.path.with_suffix(".tmp")
        partial.write_text(token)
        partial.replace(self.path)
        self._saved, self._at = token, time.monotonic()


class MatrixSender:
    def __init__(self, client: AsyncClient, choices: Choices, pacing: RoomPacing) -> None:
        self.client = client
        self.choices = choices
        self.pacing = pacing
        self.uploads = Uploads(client, pacing)

    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        """`Delivery` for the outbox: one new message; failures mapped for the dispatcher."""
        new = Reply(reply.text, reply.buttons, attachment=reply.attachment)
        return await self.send(chat_id, new, live=False)

    async def send(
        self, room_id: str, reply: Reply, *, edits: str | None = None, live: bool = True
    ) -> str:
        """Send `reply` (as an edit of `edits` when given), then its file as `m.file` (uploaded
        first: a failed upload is told in a notice, or retried whole from the outbox); remember its
        choices; return the id of the event that now lists them."""
        retries = LIVE_RETRIES if live else 0
        file: dict[str, Any] = {}
        if reply.attachment is not None:
            try:
                file = await self.uploads.prepare(room_id, reply.attachment, retries=retries)
            except FileNotSent as exc:
                if exc.transient and not live:
                    raise TransientFailure(exc.notice) from exc
                file = {"msgtype": NOTICE, "body": exc.notice}
        content = notice(reply) if edits is None else replacement(edits, reply)
        event_id = await self._send(room_id, content, retries=retries)
        self.choices.remember(room_id, edits or event_id, reply)
        if file:  # the caption is out: wait out a 429 rather than have the outbox send it twice
            await self._send(room_id, file, retries=LIVE_RETRIES)
        return event_id

    async def _send(self, room_id: str, content: dict[str, Any], *, retries: int) -> str:
        for attempt in range(retries + 1):
            async with self.pacing.slot(room_id):
                try:
                    response = await self.client.room_send(
                        room_id, "m.room.message", content, ignore_unverified_devices=True
                    )
                except LocalProtocolError as exc:  # not (or no longer) in that room
                    raise Undeliverable(str(exc)) from exc
                except (ClientError, TimeoutError) as exc:
                    raise TransientFailure(f"{type(exc).__name__}: {exc}") from exc
            if isinstance(response, RoomSendResponse):
                return str(response.event_id)
            error = _error(response)
            if isinstance(error, RetryLater) and attempt < retries:
                log.info("room %s: 429, waiting %.1fs", room_id, error.retry_after)
                await asyncio.sleep(error.retry_after)
                continue
            raise error
        raise AssertionError("unreachable")  # pragma: no cover


def _error(response: object) -> DeliveryError:
    if not isinstance(response, ErrorResponse):
        return TransientFailure(f"unexpected response {type(response).__name__}")
    code = response.status_code or ""
    if code == "M_LIMIT_EXCEEDED" or code == "429":
        return RetryLater((response.retry_after_ms or 5000) / 1000, str(response))
    if code in GONE:
        return Undeliverable(str(response))
    if code.startswith("M_"):
        return DeliveryError(str(response))  # refused for good (too large, bad content…)
    return TransientFailure(str(response))
