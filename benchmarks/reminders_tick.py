"""Cost of one reminder tick on a large platform.

Seeds N collectivités, each with an administrator and two agents and ten assigned action items with
due dates spread over the coming weeks, then times: the Monday 09:00 tick that queues the weekly
digests and the due-date reminders, the same tick run again (what `ecoclic serve` does every
minute: everything already queued), and the first-of-month tick with the monthly summaries.

Run: `python benchmarks/reminders_tick.py --collectivites 2000` (or --url of an EMPTY PostgreSQL
database).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

from ecoclic.reminders import tick_once
from referential.loader import default_referential
from storage.db import create_engine, session_factory, upgrade
from storage.models import ActionItem, Collectivite, Membership, User

PARIS = ZoneInfo("Europe/Paris")
SEEDED_AT = datetime(2026, 11, 20, 10, tzinfo=UTC)


async def seed(sessions: object, count: int, questions: list[str]) -> None:
    async with sessions() as session, session.begin():  # type: ignore[operator]
        await session.execute(
            insert(Collectivite),
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
                for i in range(count)
            ],
        )
        await session.execute(
            insert(User),
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
                for n in range(count * 3)
            ],
        )
        collectivites = list(
            await session.scalars(select(Collectivite.id).order_by(Collectivite.id))
        )
        users = list(await session.scalars(select(User.id).order_by(User.id)))
        await session.execute(
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
        await session.execute(
            insert(ActionItem),
            [
                {
                    "collectivite_id": cid,
                    "question_id": questions[q],
                    "status": "a_faire",
                    "reason": "",
                    "assignee_id": users[3 * i + q % 3],
                    "due_date": date(2026, 12, 1) + timedelta(days=(i + 3 * q) % 40),
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


async def analyze(engine: object) -> None:
    """PostgreSQL plans joins from table statistics; autovacuum keeps them fresh in production,
    a bulk load just now has none yet (a first tick would then take seconds for bad plans)."""
    if engine.dialect.name == "postgresql":  # type: ignore[attr-defined]
        async with engine.connect() as connection:  # type: ignore[attr-defined]
            await connection.execute(text("ANALYZE"))
            await connection.commit()


async def timed(label: str, sessions: object, ref: object, at: datetime) -> None:
    started = time.perf_counter()
    queued = await tick_once(sessions, ref, at)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {queued:>7} rappels   {elapsed * 1000:>8.0f} ms")


async def run(count: int, url: str | None) -> None:
    ref = default_referential()
    questions = [q.id for q in ref.level_questions(1)]
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        await upgrade(url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                if await session.scalar(select(Collectivite.id).limit(1)) is not None:
                    raise SystemExit("La base doit être vide (elle reçoit des données de test).")
            await seed(sessions, count, questions)
            await analyze(engine)
            print(f"{count} collectivités, {count * 3} personnes, {count * 10} actions attribuées")
            monday = datetime(2026, 12, 7, 9, tzinfo=PARIS)
            await timed("lundi 09:00 (récapitulatifs + échéances)", sessions, ref, monday)
            await timed(
                "lundi 09:01 (tout est déjà en file)", sessions, ref, monday + timedelta(minutes=1)
            )
            first = datetime(2027, 1, 1, 9, tzinfo=PARIS)
            await timed("1er janvier 09:00 (bilans mensuels inclus)", sessions, ref, first)
            await timed(
                "1er janvier 09:01 (tout est déjà en file)",
                sessions,
                ref,
                first + timedelta(minutes=1),
            )
        finally:
            await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collectivites", type=int, default=2000)
    parser.add_argument("--url", help="base de données (par défaut : SQLite temporaire)")
    args = parser.parse_args()
    asyncio.run(run(args.collectivites, args.url))


if __name__ == "__main__":
    main()
