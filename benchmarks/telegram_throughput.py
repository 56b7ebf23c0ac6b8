"""Telegram channel throughput: the assistant on each library beside that library's echo bot.

N simulated users talk at once to a bot in another process through the fake Bot API (long polling,
real HTTP on 127.0.0.1). Each user acts, waits for the bot's complete answer (the message carrying
the next keyboard), then acts again. The assistant's users register and answer the whole level-1
questionnaire (taps and typed answers); the echo bot's users send as many texts and taps.

Printed per library and bot: updates handled per second, latency from update to first reply and to
the complete answer (p50/p95), the bot process's CPU milliseconds per update (from /proc), and the
Bot API calls per update (getUpdates excluded); then, per library, the assistant's CPU per update
split between the service (engine and SQL, in its worker thread) and the channel, and as a multiple
of the echo bot's (issue 11's target: at most ×3).
Flood pacing is lifted on both sides: this measures the software, not Telegram's 1 message/s/chat.

Run: `python benchmarks/telegram_throughput.py --users 40` (not a test; figures vary by machine).
`--postgres URL` uses that PostgreSQL database instead of SQLite: give a scratch database, its
`public` schema is dropped before each run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stdnum import luhn
from stdnum.fr import siret as siret_check

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.db import database_url as sync_url  # noqa: E402
from tests.helpers.fake_bot_api import FakeBotApi  # noqa: E402

REGISTRATION = 8  # steps before the first question
TIMEOUT = 60.0
START_TIMEOUT = 300.0  # a bot process starting on a busy shared machine (imports alone: ~20 s)


def reset_postgres(url: str) -> None:
    """Empty the scratch database: every run starts from the same state."""
    from sqlalchemy import text

    from storage.db import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def valid_siret(n: int) -> str:
    siren = f"22{n:06d}"
    siren += luhn.calc_check_digit(siren)
    siret = siren + "0001" + luhn.calc_check_digit(siren + "0001")
    assert siret_check.is_valid(siret)
    return siret


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    library: str
    kind: str
    updates: int
    wall: float
    first: list[float]
    full: list[float]
    cpu: float
    driver_cpu: float  # the fake server and the simulated users, in this process
    api_calls: int  # Bot API calls made by the bot while measured, getUpdates excluded
    service_cpu: float | None = None  # of `cpu`, spent in ChatService.handle_now (engine + SQL)

    @property
    def per_second(self) -> float:
        return self.updates / self.wall

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.updates

    @property
    def calls_per_update(self) -> float:
        return self.api_calls / self.updates

    @property
    def service_ms(self) -> float | None:
        return None if self.service_cpu is None else 1000 * self.service_cpu / self.updates


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


class SimUser:
    """One simulated person; reads the fake's state directly (cheap checks, many users)."""

    def __init__(self, fake: FakeBotApi, user_id: int) -> None:
        self.fake = fake
        self.user_id = user_id
        self.first: list[float] = []
        self.full: list[float] = []

    def _chat(self) -> Any:
        return self.fake._core.state.chats[self.user_id]

    def newest_bot_message(self) -> Any:
        for message in reversed(self._chat().messages.values()):
            if message.from_bot:
                return message
        return None

    def keyboard(self) -> list[str]:
        message = self.newest_bot_message()
        if message is None or not message.reply_markup:
            return []
        rows = message.reply_markup["inline_keyboard"]
        return [b.get("callback_data") or "" for row in rows for b in row]

    async def act(self, update: Any, tapped: int | None, started: float) -> None:
        chat = self._chat()
        next_id = chat.next_message_id
        edits = chat.messages[tapped].edit_count if tapped else 0

        def first() -> bool:
            moved = chat.next_message_id > next_id
            return moved or bool(tapped and chat.messages[tapped].edit_count > edits)

        def done() -> bool:
            newest = self.newest_bot_message()
            return bool(newest and newest.message_id >= next_id and newest.reply_markup)

        async with asyncio.timeout(TIMEOUT):
            await self._until(first)
            self.first.append(time.monotonic() - started)
            await self._until(done)
            self.full.append(time.monotonic() - started)

    async def _until(self, predicate: Any) -> None:
        """Sleep until the fake records a change that makes `predicate` true (no polling)."""
        recorder = self.fake._core.recorder
        while True:
            changed = recorder.changed()
            if predicate():
                return
            await changed.wait()

    async def say(self, text: str) -> None:
        started = time.monotonic()
        update = await self.fake.send_text(self.user_id, text)
        await self.act(update, None, started)

    async def tap(self, data: str | None = None, label: str | None = None) -> None:
        started = time.monotonic()
        message = self.newest_bot_message()
        if label is not None:
            update = await self.fake.press_button(self.user_id, label)
        else:
            update = await self.fake.press(self.user_id, message.message_id, data or "")
        await self.act(update, message.message_id, started)


async def assistant_user(fake: FakeBotApi, user_id: int, n: int) -> SimUser:
    user = SimUser(fake, user_id)
    await user.say("/start")
    await user.tap(label="Inscrire ma collectivité")
    await user.say(valid_siret(n))
    await user.tap(label="Commune")
    await user.say(f"Commune n°{n}")
    await user.say("31")
    await user.say("1200")
    await user.tap(label="Enregistrer")
    step = 0
    while answers := [d for d in user.keyboard() if d.startswith("a:")]:
        yes_no = all(d.rsplit(":", 1)[1] in ("oui", "non", "nsp") for d in answers)
        if yes_no and step % 2:
            await user.say("oui")
        else:
            await user.tap(answers[step % len(answers)])
        step += 1
    return user


async def echo_user(fake: FakeBotApi, user_id: int, steps: int) -> SimUser:
    user = SimUser(fake, user_id)
    await user.say("/start")
    for step in range(steps - 1):
        if step % 2:
            await user.say(f"message {step}")
        else:
            await user.tap("echo")
    return user


async def measure(
    library: str, kind: str, users: int, steps: int, db_dir: str, postgres: str | None = None
) -> Run:
    async with FakeBotApi() as fake:
        database_url = f"sqlite:///{db_dir}/{library}-{kind}.sqlite3"
        if postgres and kind == "ecoclic":
            database_url = sync_url(postgres)
            reset_postgres(database_url)
        script = str(ROOT / "benchmarks" / "telegram_bots.py")
        worker = subprocess.Popen(
            [sys.executable, script, kind, library, fake.base_url, fake.token, database_url],
            cwd=db_dir,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE if kind == "ecoclic" else None,
            text=True,
        )
        service_cpu: float | None = None
        try:
            await fake.wait_for(lambda: fake.polling, START_TIMEOUT)
            warm = 10**6
            await (echo_user(fake, warm, 3) if kind == "echo" else assistant_user(fake, warm, 0))
            service_before = await service_seconds(worker)
            cpu_before, started = cpu_seconds(worker.pid), time.monotonic()
            driver_before = time.process_time()
            calls_before = api_calls(fake)
            if kind == "echo":
                runs = [echo_user(fake, 1000 + i, steps) for i in range(users)]
            else:
                runs = [assistant_user(fake, 1000 + i, i + 1) for i in range(users)]
            done = await asyncio.gather(*runs)
            wall, cpu = time.monotonic() - started, cpu_seconds(worker.pid) - cpu_before
            driver_cpu = time.process_time() - driver_before
            calls = api_calls(fake) - calls_before
            service_after = await service_seconds(worker)
            if service_before is not None and service_after is not None:
                service_cpu = service_after - service_before
        finally:
            worker.terminate()
            await asyncio.to_thread(worker.wait, 30)
    first = [x for u in done for x in u.first]
    full = [x for u in done for x in u.full]
    return Run(library, kind, len(full), wall, first, full, cpu, driver_cpu, calls, service_cpu)


async def service_seconds(worker: subprocess.Popen[str]) -> float | None:
    """CPU seconds the assistant's service has spent so far (None for the echo bots)."""
    if worker.stdout is None:
        return None
    worker.send_signal(signal.SIGUSR1)
    line = await asyncio.to_thread(worker.stdout.readline)
    return float(line.split()[1])


def api_calls(fake: FakeBotApi) -> int:
    """Calls the bot made so far, long polling excluded."""
    return sum(1 for call in fake.calls() if call.method.lower() != "getupdates")


def report(runs: list[Run]) -> None:
    print(
        f"{'library':8} {'bot':8} {'updates':>7} {'upd/s':>7} {'p50 1st':>8} {'p95 1st':>8}"
        f" {'p50 all':>8} {'p95 all':>8} {'CPU ms/upd':>10} {'calls/upd':>9} {'driver CPU':>10}"
    )
    for r in runs:
        print(
            f"{r.library:8} {r.kind:8} {r.updates:7d} {r.per_second:7.1f}"
            f" {p(r.first, 50):6.1f}ms {p(r.first, 95):6.1f}ms"
            f" {p(r.full, 50):6.1f}ms {p(r.full, 95):6.1f}ms {r.cpu_ms:10.2f}"
            f" {r.calls_per_update:9.2f} {100 * r.driver_cpu / r.wall:9.0f}%"
        )
    by_key = {(r.library, r.kind): r for r in runs}
    for library in dict.fromkeys(r.library for r in runs):
        echo, ours = by_key.get((library, "echo")), by_key.get((library, "ecoclic"))
        if echo and ours:
            if ours.service_ms is not None:
                channel = ours.cpu_ms - ours.service_ms
                print(
                    f"{library}: assistant CPU per update = service (engine + SQL, worker thread) "
                    f"{ours.service_ms:.2f} ms + channel (library, bridge, event loop) "
                    f"{channel:.2f} ms = ×{channel / echo.cpu_ms:.2f} echo"
                )
            print(
                f"{library}: assistant / echo floor = throughput ×{ours.per_second / echo.per_second:.2f}, "
                f"p50 ×{p(ours.full, 50) / p(echo.full, 50):.1f}, "
                f"CPU per update ×{ours.cpu_ms / echo.cpu_ms:.2f} (target ≤ ×3), "
                f"Bot API calls per update {ours.calls_per_update:.2f} (echo "
                f"{echo.calls_per_update:.2f})"
            )


async def main(users: int, libraries: list[str], postgres: str | None) -> None:
    steps = REGISTRATION + 32
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as db_dir:
        for library in libraries:
            for kind in ("echo", "ecoclic"):
                runs.append(await measure(library, kind, users, steps, db_dir, postgres))
    database = "PostgreSQL" if postgres else "SQLite"
    print(
        f"{users} simulated users, {steps} updates each, closed loop, {database}, no flood pacing"
    )
    report(runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--libraries", nargs="+", default=["ptb", "aiogram"])
    parser.add_argument("--postgres", help="scratch PostgreSQL URL (its schema is dropped)")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.libraries, args.postgres))
