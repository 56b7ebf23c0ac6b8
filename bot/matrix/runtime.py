"""The Matrix channel as `ecoclic serve` runs it: client, sender and channel built from options."""

from __future__ import annotations

from bot.handler import ChatHandler
from bot.matrix.channel import MatrixChannel
from bot.matrix.client import (
    MatrixOptions,
    MatrixSender,
    SyncTokenFile,
    open_client,
)
from bot.matrix.pacing import RoomPacing
from bot.matrix.render import Choices


class MatrixRuntime:
    """`start` signs in with the saved token (no new device), uploads keys, joins pending
    invitations and syncs in the background; `delivery` serves the outbox; `stop` finishes."""

    def __init__(self, service: ChatHandler, options: MatrixOptions) -> None:
        self.options = options
        self.client = open_client(options)
        pacing = RoomPacing(options.room_rate, options.room_burst, options.global_rate)
        self.sender = MatrixSender(self.client, Choices(), pacing)
        tokens = SyncTokenFile(options.store)
        self.channel = MatrixChannel(self.client, service, self.sender, tokens)

    @property
    def delivery(self) -> MatrixSender:
        return self.sender

    async def start(self) -> None:
        await self.channel.start()

    async def stop(self) -> None:
        await self.channel.stop()
