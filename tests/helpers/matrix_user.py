"""A person on Matrix for the channel tests: their own nio client (with a key store, so encrypted
rooms work), a direct room with the bot, and what they see of the bot's notices, edits applied, and
files (`m.file`), downloaded and decrypted as a client would."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    MegolmEvent,
    MemoryDownloadResponse,
    RoomCreateResponse,
    RoomMessageNotice,
    RoomSendResponse,
)
from nio.crypto import decrypt_attachment

from bot.matrix.client import MatrixSender
from tests.helpers.synapse import Account

_CHOICE = re.compile(r"^([0-9]+)\. (.+)$", re.MULTILINE)


class RecordingSender(MatrixSender):
    """The bot's sender, noting the ids of the events it sends per room (to know what to wait for):
    every message, files and their notices included."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: dict[str, list[str]] = {}

    async def _send(self, room_id: str, content: dict[str, Any], *, retries: int) -> str:
        event_id = await super()._send(room_id, content, retries=retries)
        self.sent.setdefault(room_id, []).append(event_id)
        return event_id


@dataclass
class Notice:
    event_id: str
    body: str
    edited: bool = False
    raw: list[dict[str, Any]] = field(default_factory=list)  # the contents received, edits too


class MatrixUser:
    def __init__(self, homeserver: str, account: Account, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(store_sync_tokens=True, encryption_enabled=True)
        self.client = AsyncClient(
            homeserver, account.user_id, device_id=account.device_id, store_path=str(store),
            config=config,
        )  # fmt: skip
        self.client.restore_login(account.user_id, account.device_id, account.access_token)
        assert self.client.olm is not None, "the test user needs encryption too"
        self.room_id = ""
        self.notices: dict[str, Notice] = {}  # by event id, in arrival order
        self.edits: list[dict[str, Any]] = []
        self.seen: set[str] = set()  # every message event id received, edits included
        self.plaintext: set[str] = set()  # …of which those that were not end-to-end encrypted
        self._undecrypted: list[MegolmEvent] = []

    async def open(self) -> None:
        await self.sync()
        if self.client.should_upload_keys:
            await self.client.keys_upload()

    async def close(self) -> None:
        await self.client.close()

    async def dm(self, bot_id: str, *, encrypted: bool = True) -> str:
        """Create a direct room inviting the bot (encrypted like Tchap's, or not)."""
        state = [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]  # fmt: skip
        created = await self.client.room_create(
            is_direct=True, invite=[bot_id], initial_state=state if encrypted else []
        )
        assert isinstance(created, RoomCreateResponse), created
        self.room_id = created.room_id
        await self.sync()
        return self.room_id

    async def wait_joined(self, bot_id: str, timeout: float = 20.0) -> float:
        """Seconds until the bot is a member of the room."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            members = await self.client.joined_members(self.room_id)
            if bot_id in getattr(members, "members", []) or any(
                m.user_id == bot_id for m in getattr(members, "members", [])
            ):
                return time.monotonic() - start
            await asyncio.sleep(0.1)
        raise AssertionError(f"{bot_id} did not join within {timeout}s")

    async def send(self, text: str) -> str:
        await self.sync()
        response = await self.client.room_send(
            self.room_id, "m.room.message", {"msgtype": "m.text", "body": text},
            ignore_unverified_devices=True,
        )  # fmt: skip
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def sync(self) -> None:
        client = self.client
        response = await client.sync(timeout=200)
        for task in (
            client.send_to_device_messages() if client.outgoing_to_device_messages else None,
            client.keys_query() if client.should_query_keys else None,
            client.keys_claim(client.get_users_for_key_claiming())
            if client.should_claim_keys
            else None,
        ):
            if task is not None:
                await task
        rooms = getattr(response, "rooms", None)
        events = list(self._undecrypted)
        self._undecrypted = []
        if rooms is not None and self.room_id in rooms.join:
            events += rooms.join[self.room_id].timeline.events
        for event in events:
            if isinstance(event, MegolmEvent):
                decrypted = client.decrypt_event(event)
                if isinstance(decrypted, MegolmEvent) or not hasattr(decrypted, "source"):
                    self._undecrypted.append(event)
                    continue
                event = decrypted
            if getattr(event, "sender", None) == client.user_id:
                continue  # our own messages
            if isinstance(event, RoomMessageNotice) or (
                hasattr(event, "source") and event.source.get("content", {}).get("msgtype")
            ):
                self._see(event.event_id, event.source.get("content", {}))
                if not getattr(event, "decrypted", False):
                    self.plaintext.add(event.event_id)

    def _see(self, event_id: str, content: dict[str, Any]) -> None:
        self.seen.add(event_id)
        relates = content.get("m.relates_to", {})
        if relates.get("rel_type") == "m.replace":
            self.edits.append(content)
            target = self.notices.get(relates["event_id"])
            if target is not None:
                target.body = content["m.new_content"]["body"]
                target.edited = True
                target.raw.append(content)
            return
        self.notices[event_id] = Notice(event_id, str(content.get("body", "")), raw=[content])

    async def wait_for(self, event_ids: list[str], timeout: float = 20.0) -> None:
        """Sync until every event in `event_ids` (the bot's) has been seen (edits included)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if set(event_ids) <= self.seen:
                return
            await self.sync()
        raise AssertionError(f"never saw {set(event_ids) - self.seen}")

    async def say_until(self, text: str, expected: str, timeout: float = 20.0) -> str:
        """Send `text`, then sync until a new or edited notice holds `expected`; return those."""
        before = {n.event_id: n.body for n in self.notices.values()}
        if text:
            await self.send(text)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = [n.body for n in self.notices.values() if before.get(n.event_id) != n.body]
            if any(expected in body for body in fresh):
                return "\n---\n".join(fresh)
            await self.sync()
        raise AssertionError(f"no {expected!r} after {text!r}: {self.texts(3)}")

    # -- reading ---------------------------------------------------------------------------
    def files(self) -> list[dict[str, Any]]:
        """The contents of the `m.file` events received, oldest first."""
        return [n.raw[0] for n in self.notices.values() if n.raw[0].get("msgtype") == "m.file"]

    async def download(self, content: dict[str, Any]) -> bytes:
        """A file's bytes as a client gets them: `url` as is, `file` decrypted (hash checked)."""
        encrypted = content.get("file")
        url = encrypted["url"] if encrypted else content["url"]
        found = await self.client.download(url)
        assert isinstance(found, MemoryDownloadResponse), found
        if not encrypted:
            return bytes(found.body)
        key, digest, iv = encrypted["key"]["k"], encrypted["hashes"]["sha256"], encrypted["iv"]
        return bytes(decrypt_attachment(found.body, key, digest, iv))

    def texts(self, last: int | None = None) -> str:
        bodies = [n.body for n in self.notices.values()]
        return "\n---\n".join(bodies if last is None else bodies[-last:])

    def choices(self) -> dict[str, str]:
        """label → number of the newest notice that lists numbered choices."""
        for notice in reversed(self.notices.values()):
            found = _CHOICE.findall(notice.body)
            if found:
                return {label: number for number, label in found}
        return {}

    def number_of(self, label: str) -> str:
        for shown, number in self.choices().items():
            if label in shown:
                return number
        raise AssertionError(f"no choice {label!r} in {self.choices()}")
