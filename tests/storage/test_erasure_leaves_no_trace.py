"""After /supprimer, the person's name and messaging id appear nowhere in the database: every
column of every table is searched (JSON too, raw and escaped), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.context import EngineConfig
from dialogs.events import Sender
from dialogs.ports import Transaction
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory
from storage.models import Base, User
from storage.outbox import claim, mark_sent
from tests.dialogs.team.steps import invite
from tests.helpers.chat import ChatDriver

NAME = ("Zéphyrine", "Quenouille")
MESSAGING_ID = "987654321012"
TRACES = (*NAME, f"{NAME[0]} {NAME[1]}", MESSAGING_ID)


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def forms(value: Any) -> list[str]:
    """Every way a stored value could carry the text."""
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False), json.dumps(value)]
    return [str(value)]


def traces(sessions: sessionmaker[Session]) -> list[str]:
    found = []
    with sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    for text in forms(value):
                        found += [f"{table.name}.{column}: {t}" for t in TRACES if t in text]
    return sorted(set(found))


async def test_erased_person_leaves_no_trace(
    sessions: sessionmaker[Session], referential: Referential
) -> None:
    service = ChatService(
        SqlDatabase(sessions), referential, EngineConfig(bot_username="ecoclic_test_bot")
    )
    try:
        admin = ChatDriver.for_user(service, "a1", "Alix")
        await admin.register()
        person = ChatDriver(
            service, Sender("test", MESSAGING_ID, MESSAGING_ID, " ".join(NAME), "fr")
        )
        await person.say("/start " + await invite(admin))  # Alix is told, by name
        await person.press("DSI")
        await person.say("/questionnaire")
        first = referential.level_questions(1)[0]
        await person.tap(f"a:{first.id}:non")
        await person.say("/rappels")

        def assign(tx: Transaction) -> None:
            member = tx.store.people.membership(1)
            assert member is not None
            (item,) = tx.store.plan.items(member.collectivite.id)
            uid = tx.user_for(person.sender, datetime.now(UTC)).id
            tx.store.plan.update_item(
                item.id, {"assignee_id": uid}, actor_id=1, now=datetime.now(UTC)
            )
            tx.store.people.record_payload_failure(uid, datetime.now(UTC))

        service.db.run(assign)
        with sessions() as session, session.begin():  # one notification naming her goes out
            sent = claim(
                session, channel="test", now=datetime.now(UTC), limit=1, lease=timedelta(minutes=1)
            )
            assert sent and mark_sent(session, sent[0], datetime.now(UTC))
        before = traces(sessions)
        assert any(t.startswith("users.display_name") for t in before)
        assert any(t.startswith("users.external_id") for t in before)
        assert any(t.startswith("outbox.payload") for t in before)

        await person.say("/supprimer")
        await person.press("Effacer mes données")
        await person.press("Oui, effacer")
        assert "effacées" in person.text()
        assert traces(sessions) == []
        # The collectivité's records are still there, pointing to what remains of her.
        with sessions() as session:
            answers = session.execute(select(Base.metadata.tables["answers"])).all()
            assert len(answers) == 1
    finally:
        service.close()


def test_the_web_page_names_an_erased_author_a_former_member(sqlite_url: str) -> None:
    from dialogs.records import NewCollectivite
    from storage.store import SqlStore
    from storage.summary import last_change
    from tests.helpers.contract import NOW

    engine = create_engine(sqlite_url)
    sessions = session_factory(engine)
    try:
        with sessions() as session, session.begin():
            store = SqlStore(session)
            session.add(User(channel="test", external_id="9", chat_id="9", display_name="Zoé",
                             language_code=None, locale=None, reminders_paused=False,
                             digest_weekday=0, digest_hour=9, unreachable=False, created_at=NOW))  # fmt: skip
            session.flush()
            uid = session.scalar(select(User.id))
            assert uid is not None
            made = store.people.create_collectivite(
                NewCollectivite("21310555400017", "commune", "Test", "31", 1200), uid, NOW
            )
            store.answers.set(made.id, "Q1", "oui", referential_version="1", user_id=uid, now=NOW)
            change = last_change(session, made.id)
            assert change is not None and change.author == "Zoé"
            store.privacy.erase_person(uid, NOW)
            change = last_change(session, made.id)
            assert change is not None and change.author == "un ancien membre"
    finally:
        engine.dispose()
