"""The reminder tick's SQL (storage.reminders) on SQLite and PostgreSQL: the candidate rows it reads
and the idempotent bulk insert. What is due is decided elsewhere (tests/dialogs/reminders)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialogs.reminders.planning import due_batch
from dialogs.reminders.window import month_window, tick_window
from dialogs.replies import Reply
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.models import Collectivite, Membership
from storage.outbox import message_row
from storage.reminders import SqlReminderRows, insert_messages
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import Clock, answer, item_id, join_team, paris, service_with, user_id

START = paris(2026, 11, 23, 10)


TZ = "Europe/Paris"


@pytest.fixture
def sessions_of(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


async def a_team(sessions: sessionmaker[Session], referential: Referential) -> None:
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
        await alice.tap(f"p:a:{item_id(sessions, qid)}")
        await alice.press(who)
    gov01 = item_id(sessions, "GOV-01")
    await alice.tap(f"p:dd:{gov01}:t")
    await alice.say("07/12/2026")
    await alice.tap(f"rm:mute:{item_id(sessions, 'GOV-02')}")
    await chloe.say("/rappels")
    await chloe.press("Mettre en pause")


async def test_candidates_are_open_unmuted_items_of_reachable_members(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    sessions = sessions_of
    await a_team(sessions, referential)
    shown = {q.id for q in referential.level_questions(1)}
    monday = tick_window(paris(2026, 11, 30, 9), TZ)  # digests, and GOV-01's J-7
    assert monday is not None and monday.digest is not None
    alice = user_id(sessions, "alice")
    with sessions() as session:
        rows = SqlReminderRows(session)
        for assigned in (
            rows.digest_items(monday.digest, shown, 0, 100),
            rows.due_items(monday.due, shown, 0, 100),
        ):
            assert [(a.item.question_id, a.recipient.display_name) for a in assigned] == [
                ("GOV-01", "Bruno")
            ]
            (gov01,) = assigned
            assert gov01.item.due_date == date(2026, 12, 7)
            assert gov01.item.assignee_name == "Bruno" and gov01.reminders_from is not None
            assert (gov01.recipient.digest_weekday, gov01.recipient.digest_hour) == (0, 9)
            assert (gov01.collectivite_name, gov01.several) == ("Commune de Test", False)
        assert rows.digest_items(monday.digest, shown - {"GOV-01"}, 0, 100) == []
        assert rows.due_items(monday.due, shown - {"GOV-01"}, 0, 100) == []
        first = month_window(paris(2026, 12, 1, 9), TZ)
        assert first is not None
        admins = rows.admins(first, 0, 100)
        assert [(a.collectivite_name, a.recipient.id) for a in admins] == [
            ("Commune de Test", alice)
        ]


async def test_month_facts_count_done_items_and_read_the_index(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    sessions = sessions_of
    await a_team(sessions, referential)
    alice = ChatDriver.for_user(
        service_with(sessions, referential, Clock(paris(2026, 12, 3, 10))), "alice", "Alice"
    )
    await alice.tap(f"p:s:{item_id(sessions, 'SEN-01')}:r")
    first_of_december = month_window(paris(2026, 12, 1, 9), TZ)
    first_of_january = month_window(paris(2027, 1, 4, 9), TZ)  # 1 January is a holiday
    assert first_of_december is not None and first_of_january is not None
    with sessions() as session:
        rows = SqlReminderRows(session)
        cid = rows.admins(first_of_december, 0, 100)[0].collectivite_id
        november = rows.month_facts({cid}, first_of_december)[cid]
        assert (november.index_before, november.done) == (None, 0)
        assert november.index_after is not None
        december = rows.month_facts({cid}, first_of_january)[cid]
        assert december.index_before == november.index_after and december.done == 1
        # Open today (1 January): GOV-01 due 7/12 (overdue), GOV-02 and SEN-02 undated.
        assert (december.open, december.overdue) == (3, 1)
        assert rows.month_facts(set(), first_of_january) == {}


async def test_insert_is_idempotent_on_the_key(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    sessions = sessions_of
    await a_team(sessions, referential)
    bruno = user_id(sessions, "bruno")
    rows = [
        message_row(
            key=key, user_id=bruno, channel="test", chat_id="b", reply=Reply("hi"), now=START
        )
        for key in ("digest:x:1", "digest:x:2")
    ]
    with sessions() as session, session.begin():
        assert insert_messages(session, rows) == 2
        assert insert_messages(session, rows) == 0
        assert insert_messages(session, []) == 0
        found = SqlReminderRows(session).queued(["digest:x:1", "digest:x:3"])
        assert found == {"digest:x:1"}


async def test_reminders_name_the_collectivite_of_someone_in_several(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    """Bruno also serves another commune: his reminders about GOV-01 say which one it is about."""
    sessions = sessions_of
    await a_team(sessions, referential)
    bruno = user_id(sessions, "bruno")
    with sessions() as session:
        other = Collectivite(
            siret="21600057000012",
            kind="commune",
            name="Mont-sur-Loire",
            departement="60",
            population=800,
            created_at=START,
            last_activity_at=START,
        )
        session.add(other)
        session.flush()
        session.add(
            Membership(
                collectivite_id=other.id,
                user_id=bruno,
                role="member",
                function_label="",
                created_at=START,
            )
        )
        session.commit()
    shown = {q.id for q in referential.level_questions(1)}
    monday = tick_window(paris(2026, 11, 30, 9), TZ)
    assert monday is not None and monday.digest is not None
    with sessions() as session:
        rows = SqlReminderRows(session)
        (due,) = rows.due_items(monday.due, shown, 0, 100)
        (digest,) = rows.digest_items(monday.digest, shown, 0, 100)
        (planned,) = due_batch(rows, referential, monday, 0, 100).planned
    for assigned in (due, digest):
        assert (assigned.collectivite_name, assigned.several) == ("Commune de Test", True)
    text = planned.reply("fr").text
    assert text.startswith("🏛 Commune de Test\n") and "Rappel" in text
