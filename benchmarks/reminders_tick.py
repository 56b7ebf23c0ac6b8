"""Cost of one reminder tick on a large platform, and what it does to a server running beside it.

Seeds N collectivités, each with an administrator and two agents and ten assigned action items with
due dates spread over the coming weeks (in a child process, so that the seeding's memory is not
counted), then runs, as `ecoclic serve` does, each tick in a worker thread of its own while an
asyncio heartbeat sleeps 10 ms in a loop and a writer thread commits a small transaction every
20 ms (what a chat event does). Ticks: Monday 09:00 (weekly digests and due-date reminders), the
same a minute later (what the scheduler does every minute: everything already queued), Tuesday
09:00 (J-7, J-1 and overdue reminders), Tuesday 10:30 (nothing new), the first working day of
January 09:00 (monthly summaries, and the latest reminder of every item not sent while no tick ran)
and a minute later. Per tick: reminders queued, wall and CPU time of the process, peak RSS of the
process during the tick, the worst lateness of the heartbeat and the worst wait of a write.

Run: `python benchmarks/reminders_tick.py --collectivites 36000` (or --url of an EMPTY PostgreSQL
database).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text, update

from ecoclic.reminders import tick_once
from referential.loader import default_referential
from storage.db import create_engine, session_factory, upgrade
from storage.models import ActionItem, Collectivite, KeyValue, Membership, User

PARIS = ZoneInfo("Europe/Paris")
SEEDED_AT = datetime(2026, 11, 20, 10, tzinfo=UTC)
SEED_CHUNK = 2000  # collectivités per insert round: keeps the seeding process small too
TICKS = (
    ("lundi 7/12 09:00 (récap. + échéances)", datetime(2026, 12, 7, 9, tzinfo=PARIS)),
    ("lundi 7/12 09:01 (déjà en file)", datetime(2026, 12, 7, 9, 1, tzinfo=PARIS)),
    ("mardi 8/12 09:00 (J-7, J-1, retards)", datetime(2026, 12, 8, 9, tzinfo=PARIS)),
    ("mardi 8/12 10:30 (rien de nouveau)", datetime(2026, 12, 8, 10, 30, tzinfo=PARIS)),
    ("vendredi 1/1 09:00 (bilans mensuels)", datetime(2027, 1, 1, 9, tzinfo=PARIS)),
    ("vendredi 1/1 09:01 (déjà en file)", datetime(2027, 1, 1, 9, 1, tzinfo=PARIS)),
)


def seed(url: str, count: int, questions: list[str]) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    for first in range(0, count, SEED_CHUNK):
        size = min(SEED_CHUNK, count - first)
        with sessions() as session, session.begin():
            collectivites = list(
                session.scalars(
                    insert(Collectivite).returning(Collectivite.id),
                    [
                        {
                            "siret": f"{i:014d}",
                            "kind": "commune",
                            "name": f"Commune {i}",
                            "departement": "31",
                            "population": 1000 + i,
                            "level2_enabled": False,
                            "current_index": 20,
                            "current_grade": "D",
                            "answered_count": 10,
                            "referential_version": "1.0.0",
                            "created_at": SEEDED_AT,
                            "last_activity_at": SEEDED_AT,
                        }
                        for i in range(first, first + size)
                    ],
                )
            )
            users = list(
                session.scalars(
                    insert(User).returning(User.id),
                    [
                        {
                            "channel": "telegram",
                            "external_id": str(10_000 + n),
                            "chat_id": str(10_000 + n),
                            "display_name": f"Agent {n}",
                            "language_code": "fr",
                            "reminders_paused": False,
                            "digest_weekday": 0,
                            "digest_hour": 9,
                            "unreachable": False,
                            "created_at": SEEDED_AT,
                        }
                        for n in range(3 * first, 3 * (first + size))
                    ],
                )
            )
            collectivites.sort()
            users.sort()
            session.execute(
                insert(Membership),
                [
                    {
                        "collectivite_id": cid,
                        "user_id": users[3 * i + k],
                        "role": "admin" if k == 0 else "member",
                        "function_label": "",
                        "created_at": SEEDED_AT,
                    }
                    for i, cid in enumerate(collectivites)
                    for k in range(3)
                ],
            )
            session.execute(
                insert(ActionItem),
                [
                    {
                        "collectivite_id": cid,
                        "question_id": questions[q],
                        "status": "a_faire",
                        "reason": "",
                        "assignee_id": users[3 * i + q % 3],
                        "due_date": date(2026, 12, 1) + timedelta(days=(first + i + 3 * q) % 40),
                        "snoozed_until": None,
                        "reminders_muted": False,
                        "reminders_from": SEEDED_AT,
                        "created_at": SEEDED_AT,
                        "updated_at": SEEDED_AT,
                    }
                    for i, cid in enumerate(collectivites)
                    for q in range(10)
                ],
            )
    if engine.dialect.name == "postgresql":
        # PostgreSQL plans joins from table statistics; autovacuum keeps them fresh in
        # production, a bulk load just now has none yet.
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    engine.dispose()


def rss_reset() -> None:
    """Reset the process's peak RSS (Linux: writing 5 to clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rss_peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def heartbeat(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(0.01)
        worst[0] = max(worst[0], loop.time() - started - 0.01)


def writer(sessions: object, stop: threading.Event, worst: list[float]) -> None:
    """A small write transaction every 20 ms, as a chat event would commit."""
    n = 0
    while not stop.is_set():
        started = time.perf_counter()
        with sessions() as session, session.begin():  # type: ignore[operator]
            session.execute(update(KeyValue).where(KeyValue.key == "bench").values(value=str(n)))
        worst[0] = max(worst[0], time.perf_counter() - started)
        n += 1
        time.sleep(0.02)


async def timed(label: str, sessions: object, ref: object, at: datetime) -> None:
    gc.collect()
    ticker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ecoclic-reminders")
    loop = asyncio.get_running_loop()
    stop, late = asyncio.Event(), [0.0]
    beats = asyncio.create_task(heartbeat(stop, late))
    stop_writes, wait = threading.Event(), [0.0]
    writes = threading.Thread(target=writer, args=(sessions, stop_writes, wait))
    writes.start()
    await asyncio.sleep(0.1)
    rss_reset()
    wall, cpu = time.perf_counter(), time.process_time()
    queued = await loop.run_in_executor(ticker, lambda: tick_once(sessions, ref, at))  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stop.set()
    stop_writes.set()
    await beats
    writes.join()
    ticker.shutdown()
    print(
        f"{label:<38} {queued:>7} rappels  mur {wall * 1000:>6.0f} ms  CPU {cpu * 1000:>6.0f} ms  "
        f"RSS max {rss_peak_mib():>4.0f} Mio  boucle : retard max {late[0] * 1000:>4.0f} ms  "
        f"écriture : attente max {wait[0] * 1000:>4.0f} ms",
        flush=True,
    )


async def run(count: int, url: str) -> None:
    ref = default_referential()
    engine = create_engine(url)
    sessions = session_factory(engine)
    with sessions() as session, session.begin():
        session.add(KeyValue(key="bench", value="0"))
    try:
        gc.collect()
        gc.freeze()  # as `ecoclic serve` does after start-up (ecoclic.serve.freeze_startup_heap)
        rss_reset()
        print(
            f"{count} collectivités, {count * 3} personnes, {count * 10} actions attribuées ; "
            f"RSS avant les ticks {rss_peak_mib():.0f} Mio"
        )
        for label, at in TICKS:
            await timed(label, sessions, ref, at)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--collectivites", type=int, default=2000)
    parser.add_argument("--url", help="base de données VIDE (par défaut : SQLite temporaire)")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        seed(args.url, args.collectivites, [q.id for q in default_referential().level_questions(1)])
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        engine = create_engine(url)
        with engine.connect() as connection:
            if connection.scalar(select(Collectivite.id).limit(1)) is not None:
                raise SystemExit("La base doit être vide (elle reçoit des données de test).")
        engine.dispose()
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--seed-only",
                "--url",
                url,
                "--collectivites",
                str(args.collectivites),
            ],
            check=True,
        )
        print(f"amorçage : {time.perf_counter() - started:.0f} s")
        asyncio.run(run(args.collectivites, url))


if __name__ == "__main__":
    main()
