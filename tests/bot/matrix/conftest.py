"""A real Synapse on 127.0.0.1 (one per test session), a bot account and people per test.

Synapse is a test dependency only (AGPL, never shipped). Pacing is faster than Tchap's guidance so
that whole conversations run in seconds; test_client.py checks the production pacing itself.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from bot.matrix.channel import MatrixChannel
from bot.matrix.client import MatrixOptions, SyncTokenFile, open_client
from bot.matrix.pacing import RoomPacing
from bot.matrix.render import Choices
from dialogs.events import Event
from ecoclic.service import ChatService
from tests.helpers.matrix_user import MatrixUser, RecordingSender
from tests.helpers.synapse import Account, Synapse, synapse_available

_names = itertools.count(1)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    why = synapse_available()
    if why:
        pytest.skip(why)
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    try:  # a start that fails half-way must not leave the homeserver running
        server.start()
        yield server
    finally:
        server.stop()


@dataclass
class RunningMatrixBot:
    synapse: Synapse
    account: Account
    store: Path
    channel: MatrixChannel
    sender: RecordingSender
    handled: list[Event] = field(default_factory=list)

    def options(self) -> MatrixOptions:
        return MatrixOptions(
            self.synapse.url,
            self.account.user_id,
            self.account.access_token,
            self.account.device_id,
            self.store,
        )

    async def wait_handled(self, event_id: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.event_id == f"mx:{event_id}" for e in self.handled):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"the bot never handled {event_id}")


def build_bot(
    synapse: Synapse, account: Account, store: Path, service: ChatService
) -> RunningMatrixBot:
    options = MatrixOptions(
        synapse.url, account.user_id, account.access_token, account.device_id, store
    )
    client = open_client(options)
    sender = RecordingSender(client, Choices(), RoomPacing(50.0, 20, 200))
    channel = MatrixChannel(client, service, sender, SyncTokenFile(store))
    bot = RunningMatrixBot(synapse, account, store, channel, sender)
    channel.on_done.append(lambda _room, event: bot.handled.append(event))
    return bot


@pytest.fixture
def bot_account(synapse: Synapse) -> Account:
    return synapse.register(f"ecoclic{next(_names)}_{int(time.time() * 1000) % 10**8}")


@pytest_asyncio.fixture
async def matrix_bot(
    synapse: Synapse, bot_account: Account, tmp_path: Path, sql_service: ChatService
) -> AsyncIterator[RunningMatrixBot]:
    bot = build_bot(synapse, bot_account, tmp_path / "bot-store", sql_service)
    await bot.channel.start()
    yield bot
    await bot.channel.stop()


class Person:
    """A test user talking to one bot: `say` waits until the bot handled it and its replies
    arrived."""

    def __init__(self, user: MatrixUser, bot: RunningMatrixBot) -> None:
        self.user = user
        self.bot = bot

    async def say(self, text: str) -> str:
        before = len(self.bot.sender.sent.get(self.user.room_id, []))
        event_id = await self.user.send(text)
        await self.bot.wait_handled(event_id)
        await self.user.wait_for(self.bot.sender.sent.get(self.user.room_id, [])[before:])
        return self.user.texts()

    async def choose(self, label: str) -> str:
        return await self.say(self.user.number_of(label))


async def new_user(synapse: Synapse, folder: Path, name: str = "camille") -> MatrixUser:
    account = synapse.register(f"{name}{next(_names)}_{int(time.time() * 1000) % 10**8}")
    user = MatrixUser(synapse.url, account, folder / f"store-{account.user_id}")
    await user.open()
    return user


@pytest_asyncio.fixture
async def person(
    synapse: Synapse, matrix_bot: RunningMatrixBot, tmp_path: Path
) -> AsyncIterator[Person]:
    """Someone in an encrypted direct room with the bot (Tchap's default), the bot joined."""
    user = await new_user(synapse, tmp_path)
    await user.dm(matrix_bot.account.user_id, encrypted=True)
    await user.wait_joined(matrix_bot.account.user_id)
    yield Person(user, matrix_bot)
    await user.close()
