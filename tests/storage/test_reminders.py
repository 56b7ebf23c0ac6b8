"""The reminder tick's SQL (storage.reminders) on SQLite and PostgreSQL: the candidate rows it reads
and the idempotent bulk insert. What is due is decided elsewhere (tests/dialogs/reminders)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.replies import Reply
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.outbox import message_row
from storage.reminders import SqlReminderRows, insert_messages
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import Clock, answer, item_id, join_team, paris, service_with, user_id

START = paris(2026, 11, 23, 10)


@pytest.fixture
async def sessions_of(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    await engine.dispose()


async def a_team(sessions: async_sessionmaker[AsyncSession], referential: Referential) -> None:
    """Alice (admin) and Bruno share GOV-01 (Bruno's, due 7/12), GOV-02 (Alice's, muted) and
    SEN-01 (nobody's); Chloé has SEN-02 but paused her reminders."""
    service = service_with(sessions, referential, Clock(START))
    alice = ChatDriver.for_user(service, "alice", "Alice")
    bruno = ChatDriver.for_user(service, "bruno", "Bruno")
    chloe = ChatDriver.for_user(service, "chloe", "Chloé")
    await alice.register()
    await answer(alice, referential, {"GOV-01": "non", "GOV-02": "non", "SEN-01": "non"})
    await answer(alice, referential, {"SEN-02": "non"})
    await join_team(sessions, bruno, "alice")
    await join_team(sessions, chloe, "alice")
    for qid, who in (("GOV-01", "Bruno"), ("GOV-02", "Alice (moi)"), ("SEN-02", "Chloé")):
        await alice.tap(f"p:a:{await item_id(sessions, qid)}")
        await alice.press(who)
    gov01 = await item_id(sessions, "GOV-01")
    await alice.tap(f"p:dd:{gov01}:t")
    await alice.say("07/12/2026")
    await alice.tap(f"rm:mute:{await item_id(sessions, 'GOV-02')}")
    await chloe.say("/rappels")
    await chloe.press("Mettre en pause")


async def test_candidates_are_open_unmuted_items_of_reachable_members(
    sessions_of: async_sessionmaker[AsyncSession], referential: Referential
) -> None:
    sessions = sessions_of
    await a_team(sessions, referential)
    shown = {q.id for q in referential.level_questions(1)}
    async with sessions() as session:
        rows = SqlReminderRows(session)
        assigned = await rows.assigned(shown)
        assert [(a.item.question_id, a.recipient.display_name) for a in assigned] == [
            ("GOV-01", "Bruno")
        ]
        (gov01,) = assigned
        assert gov01.item.due_date == date(2026, 12, 7)
        assert gov01.item.assignee_name == "Bruno" and gov01.reminders_from is not None
        assert (gov01.recipient.digest_weekday, gov01.recipient.digest_hour) == (0, 9)
        assert await rows.assigned(shown - {"GOV-01"}) == []
        admins = await rows.admins_with_plan()
        assert [(a.collectivite_name, a.recipient.id) for a in admins] == [
            ("Commune de Test", await user_id(sessions, "alice"))
        ]


async def test_month_facts_count_done_items_and_read_the_index(
    sessions_of: async_sessionmaker[AsyncSession], referential: Referential
) -> None:
    sessions = sessions_of
    await a_team(sessions, referential)
    alice = ChatDriver.for_user(
        service_with(sessions, referential, Clock(paris(2026, 12, 3, 10))), "alice", "Alice"
    )
    await alice.tap(f"p:s:{await item_id(sessions, 'SEN-01')}:r")
    async with sessions() as session:
        rows = SqlReminderRows(session)
        cid = (await rows.admins_with_plan())[0].collectivite_id
        november = await rows.month_facts(cid, paris(2026, 11, 1, 0), paris(2026, 12, 1, 0))
        assert (november.index_before, november.done) == (None, 0)
        assert november.index_after is not None
        december = await rows.month_facts(cid, paris(2026, 12, 1, 0), paris(2027, 1, 1, 0))
        assert december.index_before == november.index_after and december.done == 1
        assert sorted(december.open_due_dates, key=str) == [date(2026, 12, 7), None, None]


async def test_insert_is_idempotent_on_the_key(
    sessions_of: async_sessionmaker[AsyncSession], referential: Referential
) -> None:
    sessions = sessions_of
    await a_team(sessions, referential)
    bruno = await user_id(sessions, "bruno")
    rows = [
        message_row(
            key=key, user_id=bruno, channel="test", chat_id="b", reply=Reply("hi"), now=START
        )
        for key in ("digest:x:1", "digest:x:2")
    ]
    async with sessions() as session, session.begin():
        assert await insert_messages(session, rows) == 2
        assert await insert_messages(session, rows) == 0
        assert await insert_messages(session, []) == 0
        found = await SqlReminderRows(session).queued(["digest:x:1", "digest:x:3"])
        assert found == {"digest:x:1"}
