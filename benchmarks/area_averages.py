"""Area averages (département, région, France, OPSN) at national scale: time of one lookup.

Fills a fresh database with 36 000 collectivités — only the rows the averages read: users,
collectivités (85 % answered, spread over every département), one OPSN following 500 of them (and
20 pending requests) — then times `storage.area_stats.averages` for random collectivités, each in
its own short transaction as /score and the page do.

Run: `python benchmarks/area_averages.py` (SQLite in a temporary file, a few seconds), or
`--database-url postgresql+psycopg://…/<a database of its own>` (its schema is reset).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text

from dialogs.parsing import DEPARTEMENTS
from storage import area_stats
from storage.db import create_engine, session_factory, upgrade
from storage.models import Attachment, Collectivite, Opsn, PeerBin, User
from storage.peers import band_of

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def fill(url: str, total: int, followed: int, seed: int) -> None:
    rng = random.Random(seed)
    codes = sorted(DEPARTEMENTS)
    engine = create_engine(url)
    with session_factory(engine)() as session, session.begin():
        users: list[dict[str, Any]] = []
        places: list[dict[str, Any]] = []
        for cid in range(1, total + 2):
            users.append(dict(id=cid, channel="bench", external_id=str(cid), chat_id=str(cid),
                              display_name=f"Agent {cid}", language_code="fr", locale=None,
                              reminders_paused=False, unreachable=False, created_at=NOW))  # fmt: skip
        for cid in range(1, total + 1):
            answered = rng.random() < 0.85
            index = rng.randint(0, 100) if answered else 0
            places.append(dict(id=cid, siret=f"{cid:014d}", kind="commune", name=f"Commune {cid}",
                               departement=rng.choice(codes), population=rng.randint(50, 20_000),
                               level2_enabled=False, current_index=index, current_grade="C",
                               answered_count=rng.randint(1, 32) if answered else 0,
                               referential_version="bench", created_at=NOW,
                               last_activity_at=NOW))  # fmt: skip
        session.execute(insert(User), users)
        session.execute(insert(Collectivite), places)
        bins = Counter(
            ("commune", band_of(p["population"]), p["current_index"])
            for p in places
            if p["answered_count"] > 0
        )
        session.execute(insert(PeerBin), [
            dict(kind=kind, band=band, index=index, count=count)
            for (kind, band, index), count in bins.items()
        ])  # fmt: skip
        session.execute(insert(Opsn), [dict(id=1, slug="bench", name="OPSN de démonstration",
                                            departements=["31"], created_at=NOW)])  # fmt: skip
        chosen = rng.sample(range(1, total + 1), followed + 20)
        session.execute(insert(Attachment), [
            dict(collectivite_id=cid, opsn_id=1, status="accepted" if n < followed else "pending",
                 requested_by=cid, decided_by=None, decided_at=None, ended_by=None, ended_at=None,
                 created_at=NOW)
            for n, cid in enumerate(chosen)
        ])  # fmt: skip
    engine.dispose()


def measure(url: str, total: int, samples: int, seed: int) -> list[float]:
    rng = random.Random(seed + 1)
    engine = create_engine(url)
    sessions = session_factory(engine)
    timings = []
    for _ in range(samples):
        cid = rng.randint(1, total)
        started = time.perf_counter()
        with sessions() as session, session.begin():
            area_stats.averages(session, cid)
        timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--followed", type=int, default=500)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if url.startswith("postgresql"):
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        upgrade(url)
        started = time.perf_counter()
        fill(url, args.collectivites, args.followed, args.seed)
        print(f"filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if url.startswith("postgresql"):
            engine = create_engine(url)
            with engine.connect() as connection:
                connection.execute(text("ANALYZE"))
            engine.dispose()
        timings = sorted(measure(url, args.collectivites, args.samples, args.seed))
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"area averages, {args.collectivites:,} collectivités ({url.split(':')[0]}): "
            f"n={len(timings)} p50 {statistics.median(timings):.2f} ms  p95 {p95:.2f} ms  "
            f"max {timings[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main()
