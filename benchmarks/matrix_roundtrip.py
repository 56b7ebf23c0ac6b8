"""Matrix channel figures on a local Synapse: invite → join time, reply latency and CPU per message.

    python benchmarks/matrix_roundtrip.py [--messages 28] [--rooms 3]

Starts Synapse on 127.0.0.1 (the test helper; needs the `test` extra) and runs the bot in a child
process (its CPU read from /proc, as benchmarks/telegram_throughput.py does), talking in encrypted
direct rooms as on Tchap:
- `echo`: the Matrix channel with a handler that echoes the text (what any nio bot costs);
- `ecoclic`: the same channel over the real `ChatService` on SQLite; after registering, the person
  answers the questionnaire by typing choice numbers (each answer: an edit in place + the next
  question).
Printed: invite → join (room created → bot joined, as the person sees it), p50/p95 round trip (sent
→ the message carrying the next choices received), the bot process's CPU ms per message, and for
`ecoclic` the unit of work's share (engine + SQL, in its worker thread). Pacing is set fast (50/s per
room) so that latency shows the work, not Tchap's one-message-per-second guidance.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matrix.channel import MatrixChannel
from bot.matrix.client import MatrixOptions, MatrixSender, RoomPacing, SyncTokenFile, open_client
from bot.matrix.render import Choices
from dialogs.events import Event, Sender
from dialogs.replies import Outcome, Reply
from ecoclic.service import ChatService
from referential.loader import default_referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory, upgrade
from tests.helpers.matrix_user import MatrixUser
from tests.helpers.synapse import Synapse

REGISTER = ["/start", "1", "21310555400017", "Commune", "Commune de Test", "31", "1200", "1"]


class Echo:
    async def handle(self, sender: Sender, event: Event) -> Outcome:
        return Outcome((Reply(event.text or event.command),))


class TimedService(ChatService):
    """Adds up the CPU time of each unit of work, in the worker thread that runs it."""

    cpu = 0.0
    events = 0

    def handle_now(self, sender: Sender, event: Event) -> Outcome:
        start = time.thread_time()
        try:
            return super().handle_now(sender, event)
        finally:
            self.cpu += time.thread_time() - start
            self.events += 1


async def run_bot(mode: str, homeserver: str, user_id: str, token: str, device: str, store: str, db: str) -> None:  # fmt: skip
    """The child process: the bot until its standard input closes."""
    service: TimedService | None = None
    handler: object = Echo()
    if mode == "ecoclic":
        upgrade(db)
        engine = create_engine(db)
        service = TimedService(SqlDatabase(session_factory(engine)), default_referential())
        handler = service
    client = open_client(MatrixOptions(homeserver, user_id, token, device, Path(store)))
    channel = MatrixChannel(client, handler, MatrixSender(client, Choices(), RoomPacing(50.0, 20, 500)), SyncTokenFile(Path(store)))  # type: ignore[arg-type]  # fmt: skip
    await channel.start()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await channel.stop()
    if service is not None:
        service.close()
        print(f"service {service.cpu} {service.events}", flush=True)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def exchange(user: MatrixUser, text: str, done: str) -> float:
    """Send `text`; seconds until a new notice holding `done` arrives."""
    before = set(user.notices)
    start = time.perf_counter()
    await user.client.room_send(
        user.room_id, "m.room.message", {"msgtype": "m.text", "body": text},
        ignore_unverified_devices=True,
    )  # fmt: skip
    while time.perf_counter() - start < 30:
        await user.sync()
        if any(done in n.body for i, n in user.notices.items() if i not in before):
            return time.perf_counter() - start
    raise TimeoutError(f"no reply to {text!r}")


async def scenario(mode: str, synapse: Synapse, folder: Path, messages: int, rooms: int) -> None:
    bot = synapse.register(f"bench{mode}{int(time.time()) % 10**6}")
    db = f"sqlite:///{folder / f'{mode}.sqlite3'}"
    argv = [mode, synapse.url, bot.user_id, bot.access_token, bot.device_id, str(folder / f"{mode}-bot"), db]  # fmt: skip
    child = subprocess.Popen(
        [sys.executable, __file__, "--bot", *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )  # fmt: skip
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    users, joins = [], []
    for n in range(rooms):
        account = synapse.register(f"{mode}user{n}_{int(time.time()) % 10**6}")
        user = MatrixUser(synapse.url, account, folder / f"{mode}-user{n}")
        await user.open()
        start = time.perf_counter()
        await user.dm(bot.user_id)
        await user.wait_joined(bot.user_id)
        joins.append(time.perf_counter() - start)
        users.append(user)
    user = users[0]
    if mode == "echo":
        warm, timed = [f"écho {n}" for n in range(3)], [f"écho {n}" for n in range(3, messages + 3)]
    else:
        warm, timed = REGISTER, ["1" if n % 2 else "2" for n in range(min(messages, 28))]
    for text in warm:
        await exchange(user, text, text if mode == "echo" else "\n1. ")
    cpu = cpu_seconds(child.pid)
    latencies = [await exchange(user, t, t if mode == "echo" else "\n1. ") for t in timed]
    cpu = (cpu_seconds(child.pid) - cpu) / len(timed)
    for u in users:
        await u.close()
    child.stdin.close()
    tail = child.stdout.read().split()
    child.wait(30)
    cut = statistics.quantiles(latencies, n=20)
    print(
        f"{mode:8} messages={len(timed):3}  p50={statistics.median(latencies) * 1000:6.1f} ms"
        f"  p95={cut[18] * 1000:6.1f} ms  bot CPU={cpu * 1000:5.1f} ms/message"
        f"  invite→join max={max(joins):.2f} s (of {rooms})"
    )
    if len(tail) == 3:
        unit = float(tail[1]) / int(tail[2])
        print(f"{'':8} unit of work (engine + SQL): {unit * 1000:.1f} ms CPU per event")


async def main(messages: int, rooms: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synapse = Synapse(folder / "synapse")
        synapse.start()
        try:
            for mode in ("echo", "ecoclic"):
                await scenario(mode, synapse, folder, messages, rooms)
        finally:
            synapse.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bot"]:
        profile = os.environ.get("MATRIX_BENCH_PROFILE")  # a path: cProfile stats of the bot
        if profile:
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.runcall(asyncio.run, run_bot(*sys.argv[2:9]))
            profiler.dump_stats(f"{profile}.{sys.argv[2]}")
        else:
            asyncio.run(run_bot(*sys.argv[2:9]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=28)
    parser.add_argument("--rooms", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.rooms))
