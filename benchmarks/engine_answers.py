"""Answers per second and CPU milliseconds per answer through the engine + service + SQLite storage.

Each simulated collectivité registers, then answers the whole level-1 questionnaire with buttons,
one event at a time (as a person would). Run: `python benchmarks/engine_answers.py --users 20`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from stdnum import luhn
from stdnum.fr import siret as siret_check

from dialogs.context import EngineConfig
from dialogs.events import Event, Sender
from ecoclic.service import ChatService
from referential.loader import default_referential
from referential.models import AnswerType
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory, upgrade


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


async def run(users: int, url: str | None) -> None:
    ref = default_referential()
    questions = ref.level_questions(1)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = url or f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        await upgrade(db_url)
        engine = create_engine(db_url)
        service = ChatService(SqlDatabase(session_factory(engine)), ref, EngineConfig())
        latencies: list[float] = []
        answers = 0
        wall_total = 0.0
        cpu_total = 0.0
        for n, siret in enumerate(valid_sirets(users)):
            sender = Sender("bench", f"u{n}", f"u{n}", f"User {n}", "fr")
            for event in (
                Event.start(),
                Event.button("ob:go"),
                Event.typed(siret),
                Event.button("ob:k:commune"),
                Event.typed(f"Commune {n}"),
                Event.typed("60"),
                Event.typed("1200"),
                Event.button("ob:ok"),
            ):
                await service.handle(sender, event)
            for i, q in enumerate(questions):
                value = (
                    q.options[-1].id
                    if q.answer_type is AnswerType.CHOICE
                    else ("oui", "non", "nsp")[i % 3]
                )
                event = Event.button(f"a:{q.id}:{value}", event_id=f"b:{n}:{q.id}")
                wall0, cpu0 = time.perf_counter(), time.process_time()
                outcome = await service.handle(sender, event)
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                assert outcome.replies
                latencies.append(wall)
                wall_total += wall
                cpu_total += cpu
                answers += 1
        await engine.dispose()
    latencies.sort()
    print(f"backend            : {'PostgreSQL' if url else 'SQLite (file, WAL)'}")
    print(f"answers            : {answers} ({users} collectivités × {len(questions)} questions)")
    print(f"answers per second : {answers / wall_total:.0f}")
    print(f"CPU ms per answer  : {1000 * cpu_total / answers:.2f}")
    print(
        f"latency p50 / p95  : {1000 * statistics.median(latencies):.2f} ms / "
        f"{1000 * latencies[int(0.95 * (len(latencies) - 1))]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--database-url", default=None, help="e.g. postgresql+asyncpg://postgres@127.0.0.1/test"
    )
    args = parser.parse_args()
    asyncio.run(run(args.users, args.database_url))


if __name__ == "__main__":
    main()
