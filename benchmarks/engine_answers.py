"""Answers per second, CPU per answer, latency and SQL statements per answer, through the service.

Each simulated collectivité registers, then answers the whole level-1 questionnaire with buttons,
one event at a time (as a person would), through `ChatService.handle`: the channels' path, one
worker-thread hop per event. CPU is the process's (every thread), so on PostgreSQL it is the client's.

Run: `python benchmarks/engine_answers.py --users 20` (a SQLite file), or with
`--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test`, whose schema is reset first.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from typing import Any

from sqlalchemy import Engine, event, text
from stdnum import luhn
from stdnum.fr import siret as siret_check

from dialogs.context import EngineConfig
from dialogs.events import Event, Sender
from ecoclic.service import ChatService
from referential.loader import default_referential
from referential.models import AnswerType, Question
from storage.database import SqlDatabase
from storage.db import create_engine, is_sqlite, session_factory, upgrade


def valid_sirets(count: int) -> list[str]:
    """SIRETs that pass the checksum: a valid SIREN (Luhn) followed by a NIC completing the Luhn."""
    found: list[str] = []
    for n in range(count):
        siren = f"21{n:06d}"
        siren += luhn.calc_check_digit(siren)
        nic = "0001"
        siret = siren + nic + luhn.calc_check_digit(siren + nic)
        assert siret_check.is_valid(siret)
        found.append(siret)
    return found


def reset_postgres(url: str) -> None:
    """An empty schema: the benchmark starts from a fresh database every time."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


class StatementCounter:
    """Counts the SQL statements an engine sends through a cursor; BEGIN is not counted (psycopg
    sends it without a cursor, SQLite's `BEGIN IMMEDIATE` goes through one), as in
    tests/storage/test_statement_budget.py."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.count += 1


def answer_value(i: int, q: Question) -> str:
    if q.answer_type is AnswerType.CHOICE:
        return q.options[-1].id
    return ("oui", "non", "nsp")[i % 3]


def registration(siret: str, n: int) -> tuple[Event, ...]:
    return (
        Event.start(),
        Event.button("ob:go"),
        Event.typed(siret),
        Event.button("ob:k:commune"),
        Event.typed(f"Commune {n}"),
        Event.typed("60"),
        Event.typed("1200"),
        Event.button("ob:ok"),
    )


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[round(fraction * (len(ordered) - 1))]


async def run(users: int, url: str | None) -> None:
    ref = default_referential()
    questions = ref.level_questions(1)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = url or f"sqlite:///{tmp}/bench.sqlite3"
        if not is_sqlite(db_url):
            reset_postgres(db_url)
        upgrade(db_url)
        engine = create_engine(db_url)
        counter = StatementCounter(engine)
        service = ChatService(SqlDatabase(session_factory(engine)), ref, EngineConfig())
        latencies: list[float] = []
        statements: Counter[str] = Counter()
        per_value: Counter[str] = Counter()
        wall_total = cpu_total = 0.0
        try:
            for n, siret in enumerate(valid_sirets(users)):
                sender = Sender("bench", f"u{n}", f"u{n}", f"User {n}", "fr")
                for step in registration(siret, n):
                    await service.handle(sender, step)
                for i, q in enumerate(questions):
                    value = answer_value(i, q)
                    answer = Event.button(f"a:{q.id}:{value}", event_id=f"b:{n}:{q.id}")
                    seen = counter.count
                    wall0, cpu0 = time.perf_counter(), time.process_time()
                    outcome = await service.handle(sender, answer)
                    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                    assert outcome.replies
                    latencies.append(wall)
                    wall_total += wall
                    cpu_total += cpu
                    kind = value if value in ("oui", "non", "nsp") else "choice"
                    statements[kind] += counter.count - seen
                    per_value[kind] += 1
        finally:
            service.close()
            engine.dispose()
    answers = len(latencies)
    latencies.sort()
    ms = [1000 * x for x in latencies]
    print(f"backend              : {'SQLite (file, WAL)' if url is None else 'PostgreSQL'}")
    print(f"answers              : {answers} ({users} collectivités × {len(questions)} questions)")
    print(f"answers per second   : {answers / wall_total:.0f}")
    print(f"CPU ms per answer    : {1000 * cpu_total / answers:.2f}")
    print(
        f"latency p50/p95/p99  : {statistics.median(ms):.2f} / {percentile(ms, 0.95):.2f} / "
        f"{percentile(ms, 0.99):.2f} ms"
    )
    print(f"SQL per answer       : {sum(statements.values()) / answers:.1f}", end="")
    print(" (" + ", ".join(f"{k} {statements[k] / per_value[k]:.1f}" for k in per_value) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--database-url",
        default=None,
        help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test (its schema is reset)",
    )
    args = parser.parse_args()
    asyncio.run(run(args.users, args.database_url))


if __name__ == "__main__":
    main()
