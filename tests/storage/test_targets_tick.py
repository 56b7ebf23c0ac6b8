"""The monthly tick reads targets (with the answers progress is measured on) for a whole batch of
collectivités in one statement, on SQLite and PostgreSQL; the summary shows the progress line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from ecoclic.reminders import tick_once
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.models import Collectivite
from storage.reminders import SqlReminderRows
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import Clock, answer, outbox_rows, paris, service_with

TZ = "Europe/Paris"


@pytest.fixture
def sessions_of(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


async def two_collectivites(sessions: sessionmaker[Session], referential: Referential) -> None:
    """Alice's commune sets a target (letter D in a year); Bruno's has none."""
    service = service_with(sessions, referential, Clock(paris(2026, 12, 2, 10)))
    alice = ChatDriver.for_user(service, "alice", "Alice")
    bruno = ChatDriver.for_user(service, "bruno", "Bruno")
    await alice.register()
    await bruno.register("21600057000012", name="Autre commune")
    for driver in (alice, bruno):
        await answer(driver, referential, {"GOV-01": "non", "GOV-02": "non", "SEN-01": "oui"})
    await alice.say("/cible")
    await alice.press("Lettre D")
    await alice.press("Dans 1 an")
    assert "Votre cible : lettre D" in alice.text()


async def test_targets_are_read_in_one_statement_with_their_answers(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    await two_collectivites(sessions_of, referential)
    with sessions_of() as session:
        ids = {c.id: c.name for c in session.query(Collectivite)}
        seen: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.append(statement)

        event.listen(session.get_bind(), "before_cursor_execute", count)
        try:
            found = SqlReminderRows(session).targets(set(ids))
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", count)
    assert len(seen) == 1
    ((cid, facts),) = found.items()
    assert ids[cid] == "Commune de Test"
    assert (facts.target.grade, facts.target.index) == ("D", None)
    assert facts.answers["GOV-01"] != "oui" and facts.answers["SEN-01"] == "oui"
    assert len(facts.answers) == 3
    with sessions_of() as session:
        assert SqlReminderRows(session).targets(set()) == {}


async def test_the_monthly_summary_shows_the_target_only_where_there_is_one(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    await two_collectivites(sessions_of, referential)
    assert tick_once(sessions_of, referential, paris(2027, 1, 4, 9), tz=TZ) >= 2
    texts = {
        row.payload["text"].splitlines()[0]: row.payload["text"]
        for row in outbox_rows(sessions_of, "monthly:")
    }
    with_target = texts["Bilan de décembre 2026 pour Commune de Test"]
    assert "Cible : lettre D d’ici le 31 décembre 2027 · indice " in with_target
    assert with_target.rstrip().endswith("11 mois restants")
    assert "Cible" not in texts["Bilan de décembre 2026 pour Autre commune"]
