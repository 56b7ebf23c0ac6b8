"""A full month of reminders for a team of three, with a controlled clock and the real storage.

Alice (administrator), Bruno and Chloé share a plan of seven actions. The clock ticks every 30
minutes from Friday 27 November 2026 to Monday 4 January 2027; people act in between (done, snooze,
pause, in progress, mute, new due date) and the process restarts in the middle. The test checks
the exact list of reminders queued, each once, never at night or at weekends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.plan.schedule import is_allowed
from dialogs.replies import Reply
from ecoclic.reminders import tick_once
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, User
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import button
from tests.helpers.plan import Clock, item_id, join_team, paris, service_with

TZ = "Europe/Paris"
STEP = timedelta(minutes=30)
START = paris(2026, 11, 27, 14)
END = paris(2027, 1, 4, 12)
RESTART_AT = paris(2026, 12, 15, 12)

QUESTIONS = {  # item name → question answered « non » at set-up
    "I1": "GOV-01",
    "I2": "GOV-02",
    "I3": "GOV-03",
    "I4": "SEN-02",
    "I5": "PAR-01",
    "I6": "RES-04",
    "I7": "USA-01",
}


class World:
    """Sessions, drivers and item ids; `restart()` drops every connection and starts afresh."""

    def __init__(self, url: str, referential: Referential, clock: Clock) -> None:
        self.url = url
        self.referential = referential
        self.clock = clock
        self.items: dict[str, int] = {}
        self.queued: list[int] = []
        self._start()

    def _start(self) -> None:
        self.engine = create_engine(self.url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self.service = service_with(self.sessions, self.referential, self.clock)
        self.alice = ChatDriver.for_user(self.service, "alice", "Alice")
        self.bruno = ChatDriver.for_user(self.service, "bruno", "Bruno")
        self.chloe = ChatDriver.for_user(self.service, "chloe", "Chloé")

    def close(self) -> None:
        self.service.close()
        self.engine.dispose()

    def restart(self) -> None:
        self.close()
        self._start()

    def tick(self, at: datetime) -> int:
        self.clock.now = at
        count = tick_once(self.sessions, self.referential, at, tz=TZ)
        self.queued.append(count)
        return count

    def reminder(self, key: str) -> Reply:
        with self.sessions() as session:
            row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
            assert row is not None, key
            return Reply.from_json(row.payload)

    def key(self, item: str, due: str, stage: str, on: str) -> str:
        return f"due:{self.items[item]}:{due}:{stage}:{on}"


async def set_up(world: World) -> None:
    alice, bruno, chloe = world.alice, world.bruno, world.chloe
    await alice.register()
    for qid in QUESTIONS.values():
        await alice.tap(f"a:{qid}:non")
    await alice.tap("a:EDI-02:oui")
    await join_team(world.sessions, bruno, "alice")
    await join_team(world.sessions, chloe, "alice")
    for name, qid in QUESTIONS.items():
        world.items[name] = item_id(world.sessions, qid)
    people = {"A": "Alice", "B": "Bruno", "C": "Chloé"}
    plan = {  # item → (assignee, typed due date)
        "I1": ("B", "04/12/2026"),
        "I2": ("B", "07/12/2026"),
        "I3": ("C", "16/12/2026"),
        "I4": ("C", None),
        "I5": ("A", "19/12/2026"),
        "I6": (None, "10/12/2026"),
        "I7": ("B", None),
    }
    for name, (who, due) in plan.items():
        i = world.items[name]
        if who is not None:
            await alice.tap(f"p:a:{i}")
            await alice.press(people[who])
        if due is not None:
            await alice.tap(f"p:dd:{i}:t")
            await alice.say(due)
            assert "Échéance" in alice.text()
    await alice.tap(f"p:s:{world.items['I7']}:x")
    await alice.say("Pas concernés : pas de service concerné")
    await chloe.say("/rappels")
    await chloe.press("Changer le jour")
    await chloe.press("Mercredi")
    await chloe.press("Changer l’heure")
    await chloe.press("14 h")


def actions(world: World) -> dict[datetime, Callable[[], Awaitable[None]]]:
    async def bruno_done() -> None:
        reply = world.reminder(world.key("I1", "2026-12-04", "j1", "2026-12-03"))
        await world.bruno.tap(button(reply, "Fait"))
        await world.bruno.press("Oui, mettre à jour")
        assert "Indice de maturité : 3 → 7/100" in world.bruno.text()

    async def bruno_snooze() -> None:
        reply = world.reminder(world.key("I2", "2026-12-07", "od", "2026-12-08"))
        await world.bruno.tap(button(reply, "Reporter"))
        assert "le mardi 15 décembre 2026" in world.bruno.text()

    async def chloe_pause() -> None:
        await world.chloe.say("/rappels")
        await world.chloe.press("Mettre en pause")

    async def chloe_resume() -> None:
        await world.chloe.say("/rappels")
        await world.chloe.press("Reprendre")

    async def bruno_in_progress() -> None:
        reply = world.reminder(world.key("I2", "2026-12-07", "od", "2026-12-22"))
        await world.bruno.tap(button(reply, "En cours"))

    async def chloe_mute() -> None:
        reply = world.reminder(world.key("I3", "2026-12-16", "od", "2026-12-24"))
        await world.chloe.tap(button(reply, "Ne plus"))

    async def alice_new_due_date() -> None:
        await world.alice.tap(f"p:dd:{world.items['I5']}:t")
        await world.alice.say("15/01/2027")

    return {
        paris(2026, 12, 3, 10): bruno_done,
        paris(2026, 12, 8, 11): bruno_snooze,
        paris(2026, 12, 8, 12): chloe_pause,
        paris(2026, 12, 14, 10): chloe_resume,
        paris(2026, 12, 22, 15): bruno_in_progress,
        paris(2026, 12, 24, 10): chloe_mute,
        paris(2026, 12, 28, 14): alice_new_due_date,
    }


def expected(world: World, ids: dict[str, int]) -> list[tuple[str, int, str]]:
    a, b, c = ids["alice"], ids["bruno"], ids["chloe"]
    k = world.key
    rows = [
        ("2026-11-30 09:00", a, f"digest:{a}:2026-W49"),
        ("2026-11-30 09:00", b, k("I2", "2026-12-07", "j7", "2026-11-30")),
        ("2026-11-30 09:00", b, f"digest:{b}:2026-W49"),
        ("2026-12-01 09:00", a, f"monthly:{a}:1:2026-11"),
        ("2026-12-02 14:00", c, f"digest:{c}:2026-W49"),
        ("2026-12-03 09:00", b, k("I1", "2026-12-04", "j1", "2026-12-03")),
        ("2026-12-04 09:00", b, k("I2", "2026-12-07", "j1", "2026-12-04")),  # the Friday before
        ("2026-12-07 09:00", a, f"digest:{a}:2026-W50"),
        ("2026-12-07 09:00", b, f"digest:{b}:2026-W50"),
        ("2026-12-08 09:00", b, k("I2", "2026-12-07", "od", "2026-12-08")),
        ("2026-12-14 08:00", a, k("I5", "2026-12-19", "j7", "2026-12-12")),
        ("2026-12-14 09:00", a, f"digest:{a}:2026-W51"),
        ("2026-12-14 09:00", b, f"digest:{b}:2026-W51"),
        ("2026-12-15 09:00", b, k("I2", "2026-12-07", "od", "2026-12-15")),
        ("2026-12-15 09:00", c, k("I3", "2026-12-16", "j1", "2026-12-15")),
        ("2026-12-16 14:00", c, f"digest:{c}:2026-W51"),
        ("2026-12-17 09:00", c, k("I3", "2026-12-16", "od", "2026-12-17")),
        ("2026-12-18 09:00", a, k("I5", "2026-12-19", "j1", "2026-12-18")),
        ("2026-12-21 08:00", a, k("I5", "2026-12-19", "od", "2026-12-20")),
        ("2026-12-21 09:00", a, f"digest:{a}:2026-W52"),
        ("2026-12-21 09:00", b, f"digest:{b}:2026-W52"),
        ("2026-12-22 09:00", b, k("I2", "2026-12-07", "od", "2026-12-22")),
        ("2026-12-23 14:00", c, f"digest:{c}:2026-W52"),
        ("2026-12-24 09:00", c, k("I3", "2026-12-16", "od", "2026-12-24")),
        ("2026-12-28 08:00", a, k("I5", "2026-12-19", "od", "2026-12-27")),
        ("2026-12-28 09:00", a, f"digest:{a}:2026-W53"),
        ("2026-12-28 09:00", b, f"digest:{b}:2026-W53"),
        ("2026-12-29 09:00", b, k("I2", "2026-12-07", "od", "2026-12-29")),
        ("2026-12-30 14:00", c, f"digest:{c}:2026-W53"),
        ("2027-01-04 08:00", a, f"monthly:{a}:1:2026-12"),  # 1 January is a holiday
        ("2027-01-04 09:00", a, f"digest:{a}:2027-W01"),
        ("2027-01-04 09:00", b, f"digest:{b}:2027-W01"),
    ]
    return sorted(rows)


@pytest.fixture
def world(db_url: str, referential: Referential) -> Iterator[World]:
    w = World(db_url, referential, Clock(START))
    yield w
    w.close()


async def test_a_month_of_reminders_for_a_team_of_three(world: World) -> None:
    await set_up(world)
    todo = actions(world)
    at = START
    while at <= END:
        world.tick(at)
        if at in todo:
            await todo.pop(at)()
        if at == RESTART_AT:
            world.restart()
            # The new process replays the morning's ticks: nothing is queued twice.
            replay = paris(2026, 12, 15, 8)
            while replay <= RESTART_AT:
                assert world.tick(replay) == 0
                replay += STEP
        at += STEP
    assert not todo

    with world.sessions() as session:
        ids = {u.external_id: u.id for u in session.scalars(select(User))}
        rows = list(
            session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.key.startswith("due:")
                    | OutboxMessage.key.startswith("digest:")
                    | OutboxMessage.key.startswith("monthly:")
                )
                .order_by(OutboxMessage.id)
            )
        )
    got = sorted(
        (
            r.created_at.astimezone(paris(2026, 1, 1).tzinfo).strftime("%Y-%m-%d %H:%M"),
            r.user_id,
            r.key,
        )
        for r in rows
    )
    assert got == expected(world, ids)
    assert all(is_allowed(r.created_at, TZ) for r in rows)
    assert sum(world.queued) == len(rows)

    texts = {r.key: Reply.from_json(r.payload) for r in rows}
    a, b, c = ids["alice"], ids["bruno"], ids["chloe"]
    title = {n: world.referential.question(q).advice().title for n, q in QUESTIONS.items()}
    # « La veille » of a Monday comes on the Friday before, not on the due date itself (issue 17).
    today_i2 = texts[world.key("I2", "2026-12-07", "j1", "2026-12-04")]
    assert "arrive à échéance le lundi 7 décembre 2026 (dans 3 jours)" in today_i2.text
    assert [btn.label for row in today_i2.buttons for btn in row] == [
        "Fait",
        "En cours",
        "Reporter d’une semaine",
        "Ne plus me le rappeler",
    ]
    late_i5 = texts[world.key("I5", "2026-12-19", "od", "2026-12-20")].text
    assert "a dépassé son échéance, le samedi 19 décembre 2026 (en retard de 2 jours)" in late_i5
    first_digest = texts[f"digest:{b}:2026-W49"].text
    assert "(2)" in first_digest and title["I1"] in first_digest and title["I7"] not in first_digest
    last_digest = texts[f"digest:{c}:2026-W53"].text
    assert "(1)" in last_digest and title["I4"] in last_digest and title["I3"] not in last_digest
    november = texts[f"monthly:{a}:1:2026-11"].text
    assert "Bilan de novembre 2026 pour Commune de Test" in november
    assert "Indice de maturité : 3/100 (premier bilan)" in november
    assert "Actions ouvertes : 6" in november
    december = texts[f"monthly:{a}:1:2026-12"].text
    assert "Indice de maturité : 3 → 7/100 (+4)" in december
    assert "Actions réalisées en décembre 2026 : 1" in december
    assert "Actions en retard : 3" in december and "Actions ouvertes : 5" in december


async def test_concurrent_ticks_queue_each_reminder_once(
    db_url: str, referential: Referential
) -> None:
    """Two processes (cron and serve) ticking at the same instant: one message per key."""
    import asyncio

    world = World(db_url, referential, Clock(START))
    try:
        await set_up(world)
        other_engine = create_engine(db_url)
        other = session_factory(other_engine)

        monday = paris(2026, 11, 30, 9)
        counts = await asyncio.gather(
            asyncio.to_thread(tick_once, world.sessions, referential, monday, tz=TZ),
            asyncio.to_thread(tick_once, other, referential, monday, tz=TZ),
        )
        other_engine.dispose()
        with world.sessions() as session:
            keys = list(
                session.scalars(
                    select(OutboxMessage.key).where(~OutboxMessage.key.startswith("plan-assign"))
                )
            )
        assert sorted(keys) == sorted(set(keys)) and len(keys) == 3
        assert sum(counts) == 3
    finally:
        world.close()
