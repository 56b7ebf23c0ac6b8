"""Web summary at national scale: server time of the pages and memory of the serving process.

Fills a database with 36 000 collectivités (about as many as French communes and
intercommunalités, plus the départements) with realistic answers — the same rows the chat writes:
answers, answer history, one score snapshot per answer, action items, peer bins — and an OPSN
following 500 of them. Then serves the app with uvicorn in a separate process and requests the
collectivité page of random collectivités and the OPSN dashboard one at a time, reading the
`Server-Timing` header (time spent in the app before the first byte).

Run: `python benchmarks/web_summary_load.py` (about 3 minutes; `--collectivites 3000` for a quick
look; `--database-url postgresql+psycopg://…` for PostgreSQL, whose schema is then reset; with a
`--database-url` kept from an earlier run, `--reuse` measures again without refilling). The server
starts as `ecoclic serve` does, freezing its start-up heap out of the garbage collector's sight
(`ecoclic.serve.freeze_startup_heap`); `--no-freeze` measures without, for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from sqlalchemy.orm import Session

from referential.loader import default_referential
from referential.models import Referential
from referential.scoring import credit, grade, open_recommendations, round_half_up
from storage import peers
from storage.db import create_engine, session_factory, upgrade
from storage.models import (
    ActionItem,
    Answer,
    AnswerHistory,
    Attachment,
    Collectivite,
    Membership,
    Opsn,
    PeerBin,
    Referent,
    ScoreSnapshot,
    User,
)
from web_summary.links import LinkSigner, secret_key

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PUBLIC_URL = "http://127.0.0.1"
# Share of communes per population band (INSEE orders of magnitude): most are small.
COMMUNE_BANDS = ((0.54, 50, 499), (0.31, 500, 1999), (0.12, 2000, 9999), (0.027, 10_000, 49_999),
                 (0.002, 50_000, 99_999), (0.001, 100_000, 900_000))  # fmt: skip


def population(kind: str, rng: random.Random) -> int:
    if kind == "departement":
        return rng.randint(75_000, 2_600_000)
    if kind == "epci":
        return int(rng.lognormvariate(10.2, 0.9)) + 3_000
    pick = rng.random()
    for share, low, high in COMMUNE_BANDS:
        if pick < share:
            return rng.randint(low, high)
        pick -= share
    return rng.randint(50, 499)


def answers_of(ref: Referential, rng: random.Random) -> list[tuple[str, str]]:
    """Answers in the order given: 10 % not started, 30 % part-way, 60 % done; a maturity m drives
    the share of « oui »."""
    questions = list(ref.level_questions(1))
    roll = rng.random()
    count = (
        0 if roll < 0.1 else rng.randint(1, len(questions) - 1) if roll < 0.4 else len(questions)
    )
    m = rng.betavariate(2, 3)
    out = []
    for q in questions[:count]:
        if q.options:
            ordered = sorted(q.options, key=lambda o: o.credit)
            out.append(
                (q.id, ordered[min(len(ordered) - 1, int(m * len(ordered) + rng.random()))].id)
            )
        else:
            r = rng.random()
            out.append((q.id, "oui" if r < m else "nsp" if r < m + 0.15 * (1 - m) else "non"))
    return out


ORDER = (User, Opsn, Collectivite, Membership, Answer, AnswerHistory, ScoreSnapshot, ActionItem,
         PeerBin, Referent, Attachment)  # fmt: skip


class Rows:
    """Rows accumulated per table and flushed in large executemany batches."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        self.counts: Counter[str] = Counter()

    def add(self, table: Any, **values: Any) -> None:
        self.rows.setdefault(table, []).append(values)

    def flush(self, at_least: int = 0) -> None:
        for table in ORDER:  # parents before children (foreign keys)
            rows = self.rows.get(table, [])
            if len(rows) >= at_least and rows:
                self.session.execute(insert(table), rows)
                self.counts[table.__tablename__] += len(rows)
                rows.clear()


def level2_answers(ref: Referential, rng: random.Random) -> list[tuple[str, str]]:
    """Answers to the questions indicators read (and those their conditions name), all different
    from one collectivité to the next: the dashboard's indicator cache never helps."""
    needed: set[str] = set()
    for indicator in ref.indicators:
        needed.update(indicator.formula.inputs())
    condition_of = {p.shown_if.question for p in ref.questions if p.shown_if and p.id in needed}
    out = []
    for q in ref.questions:
        if q.id not in needed and q.id not in condition_of:
            continue
        if q.answer_type.value in ("integer", "decimal", "percent", "amount_eur"):
            low, high = q.bounds()
            top = int(min(high, 500)) if high is not None else 500
            out.append((q.id, str(rng.randint(int(low or 0) + 1, max(top, int(low or 0) + 2)))))
        elif q.answer_type.value == "yes_no":
            out.append((q.id, rng.choice(["oui", "non"])))
        elif q.options:
            out.append((q.id, rng.choice(q.options).id))
    return out


def fill(
    url: str, total: int, followed: int, seed: int, level2: float = 0.0
) -> tuple[list[int], int, float]:
    """Fill the database; returns (collectivité ids, OPSN id, seconds). `level2`: the share of
    followed collectivités that also answered the questions indicators read."""
    ref = default_referential()
    rng = random.Random(seed)
    weights = {q.id: ref.weight(q) for q in ref.level_questions(1)}
    possible = sum(weights.values())
    by_id = {q.id: q for q in ref.level_questions(1)}
    kinds = ["departement"] * min(100, total // 360) + ["epci"] * (total // 29)
    kinds += ["commune"] * (total - len(kinds))
    started = time.perf_counter()
    engine = create_engine(url)
    sessions = session_factory(engine)
    bins: Counter[tuple[str, int, int]] = Counter()
    with sessions() as session, session.begin():
        rows = Rows(session)
        for cid, kind in enumerate(kinds, start=1):
            pop = population(kind, rng)
            created = NOW - timedelta(days=rng.randint(30, 700))
            rows.add(User, id=cid, channel="bench", external_id=str(cid), chat_id=str(cid),
                     display_name=f"Agent {cid}", language_code="fr", locale=None,
                     reminders_paused=False, unreachable=False, created_at=created)  # fmt: skip
            given = answers_of(ref, rng)
            earned, index, when = Fraction(0), 0, created
            answers: dict[str, str] = {}
            for n, (qid, value) in enumerate(given, start=1):
                when += timedelta(minutes=rng.randint(1, 60 * 24 * 3))
                when = min(when, NOW)
                answers[qid] = value
                earned += weights[qid] * Fraction(repr(credit(ref, by_id[qid], value)))
                index = round_half_up(100 * earned / possible)
                row = {"collectivite_id": cid, "question_id": qid, "referential_version": ref.version,
                       "value": value, "answered_by": cid, "answered_at": when}  # fmt: skip
                rows.add(Answer, **row)
                rows.add(AnswerHistory, **row)
                rows.add(ScoreSnapshot, collectivite_id=cid, index=index, grade=grade(ref, index),
                         answered=n, total=len(weights), created_by=cid, created_at=when)  # fmt: skip
            for q in open_recommendations(ref, answers):
                status = rng.choice(["a_faire"] * 6 + ["planifie", "en_cours", "realise"])
                rows.add(ActionItem, collectivite_id=cid, question_id=q.id, status=status, reason="",
                         assignee_id=cid if status != "a_faire" else None, due_date=None,
                         snoozed_until=None, reminders_muted=False, reminders_from=when,
                         created_at=when, updated_at=when)  # fmt: skip
            rows.add(Collectivite, id=cid, siret=f"{cid:014d}", kind=kind, name=f"{kind.title()} n° {cid}",
                     departement=f"{1 + cid % 95:02d}", population=pop, level2_enabled=False,
                     current_index=index, current_grade=grade(ref, index), answered_count=len(given),
                     referential_version=ref.version, created_at=created,
                     last_activity_at=when)  # fmt: skip
            rows.add(Membership, collectivite_id=cid, user_id=cid, role="admin", function_label="",
                     created_at=created)  # fmt: skip
            if given:
                bins[(kind, peers.band_of(pop), index)] += 1
            if cid % 2000 == 0:
                rows.flush(at_least=1)
                print(f"  {cid} collectivités…", file=sys.stderr)
        rows.flush()
        for (kind, band, index), count in bins.items():
            rows.add(PeerBin, kind=kind, band=band, index=index, count=count)
        referent_id = len(kinds) + 1
        rows.add(User, id=referent_id, channel="bench", external_id="referent", chat_id="referent",
                 display_name="Référente", language_code="fr", locale=None, reminders_paused=False,
                 unreachable=False, created_at=NOW)  # fmt: skip
        rows.add(Opsn, id=1, slug="opsn-bench", name="OPSN de démonstration", departements=["31"],
                 created_at=NOW)  # fmt: skip
        rows.flush()
        rows.add(Referent, opsn_id=1, user_id=referent_id, created_at=NOW)
        communes = [cid for cid, kind in enumerate(kinds, start=1) if kind == "commune"]
        chosen = rng.sample(communes, followed + 20)
        for n, cid in enumerate(chosen):
            status = "accepted" if n < followed else "pending"
            if status == "accepted" and rng.random() < level2:
                for qid, value in level2_answers(ref, rng):
                    rows.add(Answer, collectivite_id=cid, question_id=qid, value=value,
                             referential_version=ref.version, answered_by=cid,
                             answered_at=NOW)  # fmt: skip
            rows.add(Attachment, collectivite_id=cid, opsn_id=1, status=status, requested_by=cid,
                     decided_by=referent_id if status == "accepted" else None,
                     decided_at=NOW if status == "accepted" else None, ended_by=None, ended_at=None,
                     created_at=NOW - timedelta(days=rng.randint(1, 300)))  # fmt: skip
        rows.flush()
        if engine.dialect.name == "postgresql":  # explicit ids were inserted: move the sequences on
            from sqlalchemy import text

            for table in ("users", "collectivites", "opsn"):
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                ))  # fmt: skip
    print(
        "  rows: " + ", ".join(f"{t} {n:,}" for t, n in sorted(rows.counts.items())),
        file=sys.stderr,
    )
    engine.dispose()
    return list(range(1, len(kinds) + 1)), 1, time.perf_counter() - started


def serve(url: str, freeze: bool) -> None:
    """Child process: serve the app on a free port, print it, run until killed."""
    import uvicorn

    from ecoclic.serve import freeze_startup_heap
    from web_summary.app import create_app

    async def main() -> None:
        engine = create_engine(url)
        app = create_app(
            sessions=session_factory(engine),
            referential=default_referential(),
            public_url=PUBLIC_URL,
        )
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        if freeze:
            freeze_startup_heap()
        print(f"READY {server.servers[0].sockets[0].getsockname()[1]}", flush=True)
        await task

    asyncio.run(main())


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process, in KiB, from /proc."""
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(base: str, paths: list[str]) -> tuple[list[float], list[float], int]:
    """Server times (Server-Timing) and client round trips in ms, sequentially; last page size."""
    server, client_ms, size = [], [], 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for path in paths:
            start = time.perf_counter()
            response = await client.get(path)
            client_ms.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
            server.append(float(response.headers["server-timing"].split("dur=")[1]))
            size = len(response.content)
    return server, client_ms, size


def report(name: str, server: list[float], client: list[float], size: int) -> None:
    print(
        f"{name:<28} n={len(server):<4} server p50 {statistics.median(server):6.1f} ms  "
        f"p95 {percentile(server, 95):6.1f} ms  (round trip p50 {statistics.median(client):6.1f} ms, "
        f"p95 {percentile(client, 95):6.1f} ms)  {size / 1024:5.1f} KiB"
    )


def reset_postgres(url: str) -> None:
    """Start from an empty schema: the given database is the benchmark's own."""
    from sqlalchemy import text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if args.reuse:  # a database filled by an earlier run with the same options
            ids, opsn_id = list(range(1, args.collectivites + 1)), 1
        else:
            if url.startswith("postgresql"):
                reset_postgres(url)
            upgrade(url)
            print(
                f"Filling {args.collectivites:,} collectivités ({url.split(':')[0]})…",
                file=sys.stderr,
            )
            ids, opsn_id, seconds = fill(
                url, args.collectivites, args.followed, args.seed, args.level2
            )
            print(f"  filled in {seconds:.0f} s", file=sys.stderr)
        engine = create_engine(url)
        secret = secret_key(session_factory(engine))
        engine.dispose()
        signer = LinkSigner(secret, "")
        rng = random.Random(args.seed + 1)
        pages = [
            f"/c/{signer.token('c', rng.choice(ids), 'operator')}" for _ in range(args.requests)
        ]
        dashboard = f"/o/{signer.token('o', opsn_id, 'operator')}/"

        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                url,
                *(["--no-freeze"] if args.no_freeze else []),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            if not line.startswith("READY"):
                raise SystemExit("the server did not start")
            base = f"http://127.0.0.1:{line.split()[1]}"
            idle_rss, _ = memory_kib(child.pid)
            await measure(base, pages[:20])  # warm-up: imports, caches, pool
            report("OPSN dashboard, first (cold)", *await measure(base, [dashboard]))
            await measure(base, [dashboard] * 2)
            heap = "not frozen" if args.no_freeze else "frozen"
            print(
                f"\n{args.collectivites:,} collectivités, OPSN following {args.followed}, "
                f"start-up heap {heap}:"
            )
            report("collectivité page (HTML)", *await measure(base, pages))
            report(
                "collectivité page (JSON)",
                *await measure(base, ["/api" + p for p in pages[: args.requests // 2]]),
            )
            report(
                "OPSN dashboard (HTML)", *await measure(base, [dashboard] * args.dashboard_requests)
            )
            report("OPSN CSV export", *await measure(base, [dashboard + "export.csv"] * 10))
            rss, peak = memory_kib(child.pid)
            print(f"serving process memory: {rss / 1024:.0f} MiB resident after the run "
                  f"({idle_rss / 1024:.0f} MiB before any request, peak {peak / 1024:.0f} MiB)")  # fmt: skip
        finally:
            child.terminate()
            child.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--followed", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300, help="collectivité pages requested")
    parser.add_argument("--dashboard-requests", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--level2",
        type=float,
        default=0.0,
        help="share of followed collectivités with level-2 answers for every indicator",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure a --database-url filled by an earlier run"
    )
    parser.add_argument(
        "--no-freeze", action="store_true", help="serve without freezing the start-up heap"
    )
    parser.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, freeze=not args.no_freeze)
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
