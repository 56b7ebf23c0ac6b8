"""The chat service as every channel sees it: one event of one sender in, an outcome out.

Channels depend on this protocol, not on `ecoclic.service.ChatService` (which implements it): the
entry point builds the service and hands it down, so channels never import the layer above them.
"""

from __future__ import annotations

from typing import Protocol

from dialogs.events import Event, Sender
from dialogs.replies import Outcome


class ChatHandler(Protocol):
    async def handle(self, sender: Sender, event: Event) -> Outcome:
        """Run one event through the engine in one transaction; redelivered events are ignored.
        The whole unit of work runs in a worker thread (one hop per event): awaiting it never
        blocks the channel's event loop."""
        ...

    async def replies_sent(self, sender: Sender, event_id: str) -> None:
        """The replies of `event_id` were sent: a redelivery of it must not send them again. Until
        this is called, a redelivered event returns the replies it kept (a crash lost none)."""
        ...


__all__ = ["ChatHandler"]
