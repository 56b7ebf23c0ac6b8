"""Peak memory and responsiveness of ONE real `ecoclic serve` process serving everything at once.

Issue 11's target: at 36,000 collectivités during reminder hours, the serving process stays
≤ 150 MB RSS and no event waits more than 100 ms behind the reminder tick. This runs `python -m
ecoclic.cli serve` as a subprocess — Telegram bot (long polling the project's fake Bot API on
loopback), web page and OPSN dashboard, outbox dispatcher and reminder scheduler — and reads its
peak RSS (VmHWM in /proc/<pid>/status, cumulative since start) after each stage:

1. start-up (the scheduler's first tick finds nothing: every item's reminders are muted);
2. a few requests to signed links (OPSN dashboard, collectivité pages: `ecoclic.link.make_link`);
3. a few Telegram users registering and answering the questionnaire (telegram_throughput's users);
4. reminders unmuted while those users keep answering: the scheduler's next tick (at most a minute
   later, in real time) queues them, and the dispatcher starts sending them to the fake.
   Meanwhile `/health` is requested every 20 ms: its round trip beyond the quiet baseline is how
   late the server's event loop runs. Printed: the chat round trips (update → complete answer,
   p50/p95) and the worst `/health` round trip while the tick ran (first to last insert into the
   outbox, polled from here).

The database is built by `benchmarks/reminders_tick.py`'s seeder (N collectivités, 3 people and 10
assigned items each, due dates from 1 December 2026 over 40 days: run it in December 2026 for
J-7/J-1/overdue reminders to be due), plus an OPSN following 500 of them. The scheduler uses the
real clock: run it on a weekday between 08:00 and 20:00 Paris time, or set `--timezone` to a zone
where it is such a time now (the scheduler reads ECOCLIC_TIMEZONE).

Run: `python benchmarks/serve_rss.py` (36,000 collectivités, about 2 minutes of seeding on SQLite);
`--collectivites 2000` for a quick look; `--database-url postgresql+psycopg://…` (a scratch
database: its `public` schema is dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx
from sqlalchemy import func, insert, select, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import reminders_tick  # noqa: E402
import telegram_throughput  # noqa: E402
from web_summary_load import memory_kib, reset_postgres  # noqa: E402

from ecoclic.link import make_link  # noqa: E402
from ecoclic.settings import Settings  # noqa: E402
from storage.db import create_engine, upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    ActionItem,
    Attachment,
    Collectivite,
    Opsn,
    OutboxMessage,
    Referent,
    User,
)
from tests.helpers.fake_bot_api import FakeBotApi  # noqa: E402

FOLLOWED = 500
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def build(url: str, count: int) -> float:
    """Seed with reminders_tick's seeder (in a child process, as it does), add an OPSN, mute
    every item's reminders (unmuted later, to place the tick). Returns seconds."""
    started = time.perf_counter()
    seeder = reminders_tick.__file__  # its --seed-only mode: the seeding's memory stays there
    subprocess.run(
        [sys.executable, seeder, "--seed-only", "--url", url, "--collectivites", str(count)],
        check=True,
    )
    engine = create_engine(url)
    with engine.begin() as connection:
        ids = list(connection.scalars(select(Collectivite.id).order_by(Collectivite.id)))
        admin = connection.scalar(select(func.min(User.id)))
        opsn = connection.scalar(
            insert(Opsn).returning(Opsn.id),
            {"slug": "opsn-bench", "name": "OPSN de démonstration", "departements": ["31"],
             "created_at": NOW},
        )  # fmt: skip
        connection.execute(insert(Referent), {"opsn_id": opsn, "user_id": admin, "created_at": NOW})
        connection.execute(
            insert(Attachment),
            [
                {"collectivite_id": cid, "opsn_id": opsn, "status": "accepted",
                 "requested_by": admin, "decided_by": admin, "decided_at": NOW, "ended_by": None,
                 "ended_at": None, "created_at": NOW}
                for cid in ids[:: max(1, len(ids) // FOLLOWED)][:FOLLOWED]
            ],
        )  # fmt: skip
        connection.execute(update(ActionItem).values(reminders_muted=True))
    engine.dispose()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mib(pid: int) -> str:
    rss, peak = memory_kib(pid)
    return f"peak RSS {peak / 1024:6.1f} MiB (resident now {rss / 1024:6.1f} MiB)"


def pct(values: list[float], q: float) -> float:
    """Percentile q of values (seconds) in ms."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


class TimedUser(telegram_throughput.SimUser):
    """telegram_throughput's simulated person, also noting when each round trip started."""

    trips: ClassVar[list[tuple[float, float]]] = []  # (start, seconds), every user's

    async def act(self, update: Any, tapped: int | None, started: float) -> None:
        await super().act(update, tapped, started)
        TimedUser.trips.append((started, time.monotonic() - started))


async def users_forever(fake: FakeBotApi, stop: asyncio.Event, first_id: int, n: int) -> None:
    """One person after another registers and answers the whole questionnaire, until `stop`."""
    telegram_throughput.SimUser = TimedUser  # type: ignore[misc]
    uid = first_id
    while not stop.is_set():
        await telegram_throughput.assistant_user(fake, uid, uid - first_id + n)
        uid += 1000


async def probe(base: str, stop: asyncio.Event, out: list[tuple[float, float]]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while not stop.is_set():
            started = time.monotonic()
            (await client.get("/health")).raise_for_status()
            out.append((started, time.monotonic() - started))
            await asyncio.sleep(0.02)


def due_count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.key.like("due:%"))
        )
    engine.dispose()
    return int(count or 0)


async def run(args: argparse.Namespace, tmp: str) -> None:
    url = args.database_url or f"sqlite:///{tmp}/serve.sqlite3"
    if url.startswith("postgresql"):
        reset_postgres(url)
    upgrade(url)
    print(
        f"database build ({args.collectivites:,} collectivités): {build(url, args.collectivites):.1f} s"
    )
    settings = Settings(database_url=url)
    dashboard, _ = make_link(settings, opsn_slug="opsn-bench")
    pages = [
        make_link(settings, siret=f"{i:014d}")[0]
        for i in range(0, args.collectivites, max(1, args.collectivites // 5))
    ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeBotApi() as fake:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ECOCLIC_TELEGRAM_TOKEN": fake.token,
            "ECOCLIC_TELEGRAM_API_SERVER": fake.base_url,
            "ECOCLIC_TELEGRAM_LIBRARY": args.library,
            "ECOCLIC_TELEGRAM_MODE": "polling",
            "ECOCLIC_PUBLIC_URL": base,
            "ECOCLIC_DATABASE_URL": url,
            "ECOCLIC_WEB_PORT": str(port),
            "ECOCLIC_TIMEZONE": args.timezone,
            "ECOCLIC_TELEGRAM_FLOOD_CHAT_RATE": "40",
            "ECOCLIC_TELEGRAM_FLOOD_CHAT_BURST": "10",
        }
        log = (Path(tmp) / "serve.log").open("wb")
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "ecoclic.cli", "serve"], cwd=tmp, env=env, stdout=log, stderr=log
        )
        try:
            await fake.wait_for(lambda: fake.polling or process.poll() is not None, 120)
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                while True:
                    try:
                        (await client.get("/health")).raise_for_status()
                        break
                    except httpx.HTTPError:
                        if process.poll() is not None:
                            raise SystemExit((Path(tmp) / "serve.log").read_text()) from None
                        await asyncio.sleep(0.05)
                print(
                    f"serve start (to polling and /health): {time.perf_counter() - started:.1f} s"
                )
                await asyncio.sleep(1)
                print(f"after start:                {mib(process.pid)}")
                timings = []
                for path in [dashboard] * 5 + pages:
                    t0 = time.perf_counter()
                    (await client.get(httpx.URL(path).raw_path.decode())).raise_for_status()
                    timings.append(time.perf_counter() - t0)
                print(f"after dashboard requests:   {mib(process.pid)}  ({len(timings)} requests, "
                      f"dashboard max {max(timings[:5]) * 1000:.0f} ms)")  # fmt: skip

            stop_users = asyncio.Event()
            crowd = [asyncio.create_task(users_forever(fake, stop_users, 5_000_000 + k, k * 100_000))
                     for k in range(args.users)]  # fmt: skip
            await asyncio.sleep(args.quiet_seconds)
            quiet = [d for _, d in TimedUser.trips]
            print(f"during {args.users} Telegram users:   {mib(process.pid)}  (chat round trip p50 "
                  f"{pct(quiet, 50):.0f} ms, p95 {pct(quiet, 95):.0f} ms, n={len(quiet)})")  # fmt: skip

            health: list[tuple[float, float]] = []
            stop_probe = asyncio.Event()
            prober = asyncio.create_task(probe(base, stop_probe, health))
            await asyncio.sleep(2)
            baseline = statistics.median(d for _, d in health)
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(update(ActionItem).values(reminders_muted=False))
            engine.dispose()
            unmuted = time.monotonic()
            count, first_rise, last_rise = 0, 0.0, 0.0
            while time.monotonic() - unmuted < 150:
                now = await asyncio.to_thread(due_count, url)
                if now > count:
                    first_rise = first_rise or time.monotonic()
                    last_rise, count = time.monotonic(), now
                elif count and time.monotonic() - last_rise > 5:
                    break
                await asyncio.sleep(0.1)
            stop_probe.set()
            stop_users.set()
            await prober
            await asyncio.gather(*crowd)
            if not count:
                print("no reminder queued within 150 s: outside reminder hours? see --timezone")
                return
            # a tick starts a batch before its first insert: widen the window by one poll and 1 s
            low, high = first_rise - 1.1, last_rise
            during = [d for s, d in TimedUser.trips if low <= s <= high]
            late = [d - baseline for s, d in health if low <= s <= high]
            print(f"after a tick, {count} queued: {mib(process.pid)}")
            print(f"tick (first to last outbox insert): {high - low:.1f} s; chat round trip "
                  f"meanwhile p50 {pct(during, 50):.0f} ms, p95 {pct(during, 95):.0f} ms "
                  f"(n={len(during)}); /health beyond its {baseline * 1000:.0f} ms baseline: "
                  f"max {max(late, default=0) * 1000:.0f} ms, p95 {pct(late, 95):.0f} ms "
                  f"(n={len(late)})")  # fmt: skip
            sent = fake.calls("sendMessage")
            print(f"Bot API sendMessage calls so far (replies and reminders): {len(sent)}")
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--database-url", default="", help="scratch database (schema reset)")
    parser.add_argument("--users", type=int, default=3, help="Telegram users answering at once")
    parser.add_argument("--library", default="ptb", choices=["ptb", "aiogram"])
    parser.add_argument("--timezone", default="Europe/Paris", help="ECOCLIC_TIMEZONE of serve")
    parser.add_argument("--quiet-seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, tmp))


if __name__ == "__main__":
    main()
