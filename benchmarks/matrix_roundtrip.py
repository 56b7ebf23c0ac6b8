"""Matrix channel figures on a local Synapse: invite → join time, reply latency and CPU per message.

    python benchmarks/matrix_roundtrip.py [--messages 40] [--rooms 3]

Starts Synapse on 127.0.0.1 (the test helper; needs the `test` extra), then, in encrypted direct
rooms as on Tchap:
- `echo`: the Matrix channel with a handler that echoes the text (what any nio bot costs);
- `ecoclic`: the same channel over the real `ChatService` on SQLite, a person answering the
  questionnaire by typing choice numbers (each answer: one edit in place + the next question).
For each: p50/p95 round trip (the person sends → has received every reply), process CPU ms per
message (the person's client included, the same in both: the difference is the bot's own cost), and
for `ecoclic` the CPU ms of the unit of work (engine + SQL, measured in its worker thread). Pacing is
set fast (50/s per room) so that latency shows the work, not Tchap's one-message-per-second guidance.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matrix.channel import MatrixChannel
from bot.matrix.client import MatrixOptions, RoomPacing, open_client
from bot.matrix.render import Choices
from dialogs.events import Event, Sender
from dialogs.replies import Outcome, Reply
from ecoclic.service import ChatService
from referential.loader import default_referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory, upgrade
from tests.helpers.matrix_user import MatrixUser, RecordingSender
from tests.helpers.synapse import Account, Synapse


class Echo:
    async def handle(self, sender: Sender, event: Event) -> Outcome:
        return Outcome((Reply(event.text or event.command),))


class TimedService(ChatService):
    """Adds up the CPU time of each unit of work, in the worker thread that runs it."""

    cpu = 0.0

    def handle_now(self, sender: Sender, event: Event) -> Outcome:
        start = time.thread_time()
        try:
            return super().handle_now(sender, event)
        finally:
            self.cpu += time.thread_time() - start


def bot_for(synapse: Synapse, account: Account, store: Path, handler: object) -> MatrixChannel:
    options = MatrixOptions(
        synapse.url, account.user_id, account.access_token, account.device_id, store
    )
    client = open_client(options)
    sender = RecordingSender(client, Choices(), RoomPacing(50.0, 20, 500))
    sender.sent = {}
    return MatrixChannel(client, handler, sender)  # type: ignore[arg-type]


async def round_trip(user: MatrixUser, channel: MatrixChannel, text: str) -> float:
    sender = channel.sender
    assert isinstance(sender, RecordingSender)
    before = len(sender.sent.get(user.room_id, []))
    start = time.perf_counter()
    await user.client.room_send(
        user.room_id, "m.room.message", {"msgtype": "m.text", "body": text},
        ignore_unverified_devices=True,
    )  # fmt: skip
    deadline = start + 30
    while time.perf_counter() < deadline:
        sent = sender.sent.get(user.room_id, [])[before:]
        if sent and set(sent) <= user.seen and not channel._tasks:
            return time.perf_counter() - start
        await user.sync()
    raise TimeoutError(f"no reply to {text!r}")


async def scenario(
    name: str, synapse: Synapse, folder: Path, handler: object, texts: list[str], rooms: int
) -> tuple[list[float], float, list[float]]:
    bot = synapse.register(f"bench{name}{int(time.time()) % 10**6}")
    channel = bot_for(synapse, bot, folder / f"{name}-bot", handler)
    await channel.start()
    joins: list[float] = []
    users: list[MatrixUser] = []
    try:
        for n in range(rooms):
            account = synapse.register(f"{name}user{n}_{int(time.time()) % 10**6}")
            user = MatrixUser(synapse.url, account, folder / f"{name}-user{n}")
            await user.open()
            start = time.perf_counter()
            await user.dm(bot.user_id)  # creates the room, invites the bot, one sync
            await user.wait_joined(bot.user_id)
            joins.append(time.perf_counter() - start)
            users.append(user)
        user = users[0]
        for text in texts[:3]:  # warm up: keys shared, first replies
            await round_trip(user, channel, text)
        latencies: list[float] = []
        cpu = time.process_time()
        for text in texts[3:]:
            latencies.append(await round_trip(user, channel, text))
        cpu = (time.process_time() - cpu) / max(len(latencies), 1)
        return latencies, cpu, joins
    finally:
        for user in users:
            await user.close()
        await channel.stop()


def describe(name: str, latencies: list[float], cpu: float, joins: list[float]) -> None:
    cut = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    print(
        f"{name:8} messages={len(latencies):3}  p50={statistics.median(latencies) * 1000:6.1f} ms"
        f"  p95={cut[18] * 1000:6.1f} ms  process CPU={cpu * 1000:6.1f} ms/message"
        f"  invite→join max={max(joins):.2f} s"
    )


async def main(messages: int, rooms: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synapse = Synapse(folder / "synapse")
        synapse.start()
        try:
            echo_texts = [f"écho {n}" for n in range(messages + 3)]
            echo = await scenario("echo", synapse, folder, Echo(), echo_texts, rooms)
            describe("echo", *echo)

            url = f"sqlite:///{folder / 'bench.sqlite3'}"
            upgrade(url)
            engine = create_engine(url)
            service = TimedService(SqlDatabase(session_factory(engine)), default_referential())
            script = ["/start", "1", "21310555400017", "Commune", "Commune de Test", "31"]
            script += ["1200", "1"] + ["1", "2"] * messages
            try:
                result = await scenario("eco", synapse, folder, service, script, rooms)
            finally:
                service.close()
                engine.dispose()
            describe("ecoclic", *result)
            handled = len(script)
            print(
                f"ecoclic  unit of work (engine + SQL): {service.cpu / handled * 1000:.1f} ms CPU"
            )
            print(f"ecoclic − echo: {(result[1] - echo[1]) * 1000:+.1f} ms process CPU per message")
        finally:
            synapse.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=40)
    parser.add_argument("--rooms", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.rooms))
