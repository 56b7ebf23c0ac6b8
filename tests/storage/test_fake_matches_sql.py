"""The fake store earns its place: the same people doing the same things get the same replies, and
leave the same rows, on the fake and on SQLite.

A small world (a platform admin, an OPSN and its referent, a commune with its admin and a colleague)
is built by script, then a seeded random walk presses buttons (in chat and in the notifications
received) and types commands for a few hundred steps. Random invitation tokens are the only thing
allowed to differ.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialogs.context import EngineConfig
from dialogs.events import Event
from dialogs.replies import Outcome, Reply
from ecoclic.service import ChatService
from referential.models import Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.db import StoreBackend, fake_backend, sql_backend

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CONFIG = EngineConfig(bot_username="ecoclic_test_bot", platform_admins=frozenset({"root"}))
PEOPLE = [("root", "Déclic"), ("ref", "Romane"), ("admin", "Camille"), ("colleague", "Noa")]
TYPED = [
    "/start",
    "/questionnaire",
    "/plan",
    "/score",
    "/equipe",
    "/rattachement",
    "/rappels",
    "/collectivites",
    "/admin",
    "/aide",
    "/langue",
    "/annuler",
    "/niveau2",
    "oui",
    "31",
    "Directrice générale des services",
    "2026-12-15",
    "15/01/2027",
]
TOKEN = re.compile(r"(?<=start[= ])[A-Za-z0-9_-]+")  # in links and "/start CODE" lines
TABLES = (
    "users",
    "collectivites",
    "memberships",
    "join_requests",
    "opsn",
    "referents",
    "attachments",
    "answers",
    "answer_history",
    "score_snapshots",
    "action_items",
    "action_events",
    "outbox",
    "conversations",
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=7)  # every event a little later: reminders, expiries…
        return self.now


def plain(outcome: Outcome) -> list[Any]:
    """An outcome as comparable data, random tokens masked."""
    masked: list[Any] = json.loads(
        TOKEN.sub("…", json.dumps([r.to_json() for r in outcome.replies]))
    )
    return masked


def last_payload(driver: ChatDriver) -> str:
    texts = "\n".join(r.text for r in driver.transcript)
    return str(re.findall(r"\?start=([A-Za-z0-9_-]+)", texts)[-1])


def inbox(backend: StoreBackend, external_id: str) -> list[Reply]:
    users = {u["id"]: u["external_id"] for u in backend.rows("users")}
    return [
        Reply.from_json(row["payload"])
        for row in backend.rows("outbox")
        if users[row["user_id"]] == external_id
    ]


async def walk(backend: StoreBackend, referential: Referential, steps: int) -> list[Any]:
    service = ChatService(backend.db, referential, CONFIG, Clock())
    people = {key: ChatDriver.for_user(service, key, name) for key, name in PEOPLE}
    root, ref, admin, colleague = people.values()
    log: list[Any] = []

    async def run(who: str, action: str, coroutine: Any) -> None:
        log.append((who, action, plain(await coroutine)))

    await run("root", "/admin", root.say("/admin"))
    await run("root", "add", root.press("Ajouter un OPSN"))
    await run("root", "opsn", root.say("Opérateur Occitan ; occitan ; 31, 09"))
    await root.say("/admin")
    await root.press("Inviter un référent")
    await run("root", "invite", root.press("Opérateur Occitan"))
    await run("ref", "join", ref.say(f"/start {last_payload(root)}"))
    await admin.register(name="Commune de Beauvoir")
    log.append(("admin", "register", [plain(o) for o in [admin.last] if o]))
    await admin.say("/equipe")
    await run("admin", "invite", admin.press("Inviter"))
    await run("colleague", "join", colleague.say(f"/start {last_payload(admin)}"))

    rng = random.Random(10)
    for step in range(steps):
        who = rng.choices(list(people), weights=(1, 1, 3, 3))[0]  # the commune does the most
        driver = people[who]
        roll = rng.random()
        notices = inbox(backend, who)
        if roll < 0.55 and driver.buttons():
            button = rng.choice(driver.buttons())
            await run(who, button.data, driver.tap(button.data))
        elif roll < 0.7 and notices:
            buttons = [b for row in notices[-1].buttons for b in row]
            if buttons:
                button = rng.choice(buttons)
                await run(who, f"notice {button.data}", driver.tap(button.data))
        else:
            text = rng.choice(TYPED)
            await run(who, text, driver.say(text))
        if step % 50 == 49:  # a redelivered event is handled once
            await run(who, "redelivery", driver.event(Event.cmd("aide", event_id="again")))
    return log


def tables(backend: StoreBackend) -> dict[str, Any]:
    found = {table: backend.rows(table) for table in TABLES}
    for row in found.get("conversations", []):
        row.pop("replies_event", None)  # the drivers number their events independently
    masked: dict[str, Any] = json.loads(TOKEN.sub("…", json.dumps(found)))
    return masked


@pytest.mark.parametrize("steps", [400])
async def test_the_fake_answers_like_sqlite(
    sessions: sessionmaker[Session], referential: Referential, steps: int
) -> None:
    sql, fake = sql_backend("sqlite", sessions), fake_backend()
    sql_log = await walk(sql, referential, steps)
    fake_log = await walk(fake, referential, steps)
    for n, (expected, got) in enumerate(zip(sql_log, fake_log, strict=True)):
        assert got == expected, f"step {n}: {expected[:2]}"
    sql_rows, fake_rows = tables(sql), tables(fake)
    for table in TABLES:
        assert fake_rows[table] == _common(sql_rows[table], fake_rows[table]), table
    assert sum(len(rows) for rows in sql_rows.values()) > 60  # the walk did something


def _common(sql_rows: list[dict[str, Any]], fake_rows: list[dict[str, Any]]) -> list[Any]:
    """SQL rows restricted to the columns the fake keeps (it has no columns of its own)."""
    kept = set().union(*(row.keys() for row in fake_rows)) if fake_rows else set()
    return [{k: v for k, v in row.items() if k in kept} for row in sql_rows]
