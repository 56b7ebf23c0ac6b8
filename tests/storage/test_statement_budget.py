"""Issue 11: a level-1 answer costs at most 10 SQL statements (a behaviour budget, not a timing).

Counted with a `before_cursor_execute` listener on the engine, on SQLite and PostgreSQL; BEGIN is not
counted (psycopg sends it without a cursor, pysqlite used to): it is the transaction, not its work.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from dialogs.context import EngineConfig
from dialogs.events import Event, Sender
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory

BUDGET = 10
REGISTRATION = (
    Event.start(),
    Event.button("ob:go"),
    Event.typed("21310555400017"),
    Event.button("ob:k:commune"),
    Event.typed("Commune de Test"),
    Event.typed("31"),
    Event.typed("1200"),
    Event.button("ob:ok"),
)


class Statements:
    def __init__(self, engine: Engine) -> None:
        self.seen: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.seen.append(" ".join(statement.split()))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


def test_issue_11_an_answer_costs_at_most_ten_statements(
    engine: Engine, referential: Referential
) -> None:
    service = ChatService(SqlDatabase(session_factory(engine)), referential, EngineConfig())
    sender = Sender("test", "u1", "u1", "Camille", "fr")
    for step in REGISTRATION:
        service.handle_now(sender, step)
    first, second = referential.level_questions(1)[:2]
    statements = Statements(engine)
    counts = {}
    for label, question, value, expected in [
        ("oui", first, "oui", "Votre réponse : Oui"),
        ("non", second, "non", "À retenir"),  # opens an action item
        ("changed non → oui", second, "oui", "Action du plan marquée réalisée"),
        ("changed oui → non", second, "non", "Action du plan rouverte"),
    ]:
        statements.seen.clear()
        answer = Event.button(f"a:{question.id}:{value}", event_id=f"update:{label}")
        outcome = service.handle_now(sender, answer)
        shown = "\n".join(r.text for r in outcome.replies) + (outcome.toast or "")
        assert expected in shown, (label, shown)
        counts[label] = len(statements.seen)
        assert counts[label] <= BUDGET, (label, statements.seen)
    service.close()
    assert counts["oui"] < BUDGET  # no action item to look after


def test_issue16_a_person_of_two_collectivites_answers_within_the_budget(
    engine: Engine, referential: Referential
) -> None:
    """The active membership, and how many there are, come with the sender's one read: a second
    collectivité costs no statement per answer (the header naming it is free)."""
    service = ChatService(SqlDatabase(session_factory(engine)), referential, EngineConfig())
    sender = Sender("test", "u1", "u1", "Camille", "fr")
    another = (
        Event.button("ob:go:1"),  # /collectivite › « Autre collectivité »
        Event.typed("21310000100014"),
        Event.button("ob:k:commune"),
        Event.typed("Commune du Mont"),
        Event.typed("31"),
        Event.typed("800"),
        Event.button("ob:ok"),
    )
    for step in (*REGISTRATION, *another):
        service.handle_now(sender, step)
    first, second = referential.level_questions(1)[:2]
    statements = Statements(engine)
    for label, question, value in [("oui", first, "oui"), ("non", second, "non")]:
        statements.seen.clear()
        answer = Event.button(f"a:{question.id}:{value}", event_id=f"update:2:{label}")
        outcome = service.handle_now(sender, answer)
        assert outcome.replies[0].text.startswith("🏛 Commune du Mont\n"), label
        assert len(statements.seen) <= BUDGET, (label, statements.seen)
    service.close()
