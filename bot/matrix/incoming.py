"""What arrives from Matrix, read for the engine: room messages as events, senders, invitations;
and the device keys that let messages be decrypted and replies encrypted."""

from __future__ import annotations

import time
from collections.abc import Callable

from nio import (
    AsyncClient,
    InviteMemberEvent,
    MatrixRoom,
    MegolmEvent,
    RoomMessage,
    RoomMessageText,
)

from bot.matrix.render import CHANNEL, Choices
from dialogs.events import Event, EventKind, Sender


async def maintain_keys(client: AsyncClient) -> None:
    """After each sync, as nio's `sync_forever` would: to-device messages, then our keys."""
    if client.outgoing_to_device_messages:
        await client.send_to_device_messages()
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())


def event_id(matrix_event_id: str) -> str:
    """Idempotency key: the service ignores an event it already handled (a sync replayed)."""
    return f"mx:{matrix_event_id}"


def event_of(choices: Choices, room_id: str, event: RoomMessage) -> Event | None:
    """Text (a typed choice, a command, words) or UNSUPPORTED for images, files…; None for a
    person's edit of their own message (its first version was handled)."""
    key = event_id(event.event_id)
    relates = event.source.get("content", {}).get("m.relates_to", {})
    if isinstance(relates, dict) and relates.get("rel_type") == "m.replace":
        return None
    if isinstance(event, RoomMessageText):
        return choices.event(room_id, event.body, key)
    return Event(EventKind.UNSUPPORTED, event_id=key)


def sender_of(room: MatrixRoom | None, room_id: str, user_id: str) -> Sender:
    """The person by their Matrix id; replies go to the room they wrote in."""
    name = room.user_name(user_id) if room is not None else None
    if not name or name == user_id:
        name = user_id.removeprefix("@").split(":")[0]  # the localpart
    return Sender(CHANNEL, user_id, room_id, name, None)


def is_direct_invite(state: list[object], user_id: str) -> bool:
    """An invitation of `user_id` flagged as a direct (one-to-one) room."""
    return any(
        isinstance(e, InviteMemberEvent)
        and e.state_key == user_id
        and e.membership == "invite"
        and bool(e.content.get("is_direct"))
        for e in state
    )


class Undecrypted:
    """Messages whose room key has not arrived yet: kept (an hour at most, a thousand at most) and
    tried again after each sync, when a key may have come."""

    def __init__(self, limit: int = 1000, max_age: float = 3600.0) -> None:
        self.limit = limit
        self.max_age = max_age
        self.events: list[tuple[str, MegolmEvent, float]] = []

    def keep(self, room_id: str, event: MegolmEvent) -> None:
        self.events = [*self.events, (room_id, event, time.time())][-self.limit :]

    def retry(self, decrypt: Callable[[MegolmEvent], object]) -> list[tuple[str, RoomMessage]]:
        kept, ready = [], []
        now = time.time()
        for room_id, event, at in self.events:
            try:
                decrypted = decrypt(event)
            except Exception:  # nio raises on some failures and returns an error on others
                decrypted = None
            if isinstance(decrypted, RoomMessage):
                ready.append((room_id, decrypted))
            elif now - at < self.max_age:
                kept.append((room_id, event, at))
        self.events = kept
        return ready
