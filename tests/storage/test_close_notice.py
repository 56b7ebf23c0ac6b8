"""The administrators' close notification on SQLite and PostgreSQL: the close's log row says
whether other administrators exist, `closed_since` lists the closes, one message a day."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialogs.ports import Followed, PlanMove
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.plan import SqlPlan
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import (
    Clock,
    answer,
    item_id,
    join_team,
    outbox_rows,
    paris,
    service_with,
    user_id,
)


@pytest.fixture
def sessions_of(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


async def test_an_agent_closing_twice_gives_the_admin_one_message(
    sessions_of: sessionmaker[Session], referential: Referential
) -> None:
    sessions = sessions_of
    clock = Clock(paris(2026, 11, 23, 10))
    service = service_with(sessions, referential, clock)
    alice = ChatDriver.for_user(service, "alice", "Alice")
    bruno = ChatDriver.for_user(service, "bruno", "Bruno")
    await alice.register()
    await answer(alice, referential, {"GOV-01": "non", "GOV-02": "non", "SEN-01": "non"})
    await alice.tap("a:SEN-01:oui")  # Alice alone: nobody to tell
    assert outbox_rows(sessions, "closed:") == []
    await join_team(sessions, bruno, "alice")
    await bruno.tap(f"p:s:{item_id(sessions, 'GOV-01')}:r")
    clock.now = paris(2026, 11, 23, 15)
    await bruno.tap("a:GOV-02:oui")
    (row,) = outbox_rows(sessions, "closed:")
    assert row.user_id == user_id(sessions, "alice") and row.status == "pending"
    assert row.key.endswith(":2026-11-23") and row.next_attempt_at == paris(2026, 11, 23, 17)
    text = row.payload["text"]
    assert text.startswith("2 actions du plan ont été marquées réalisées :")
    for qid in ("GOV-01", "GOV-02"):
        assert f"{referential.question(qid).advice().title} — par Bruno" in text
    assert referential.question("SEN-01").advice().title not in text  # Alice's own close
    service.close()
    gov01, bruno_id = item_id(sessions, "GOV-01"), user_id(sessions, "bruno")
    alice_id = user_id(sessions, "alice")
    with sessions() as session:
        plan = SqlPlan(session)
        found = plan.item(gov01)
        assert found is not None
        cid = found.collectivite_id
        closed = plan.closed_since(cid, paris(2026, 11, 23, 11))
        assert [(c.question_id, c.actor_name) for c in closed] == [("GOV-02", "Bruno")]
        assert len(plan.closed_since(cid, paris(2026, 11, 23, 9))) == 3
        followed = plan.follow_answer(cid, "GOV-01", settled=True, actor_id=bruno_id, now=clock.now)
        assert followed.move is PlanMove.NONE  # réalisé already
        for actor, others in ((bruno_id, True), (alice_id, False)):  # Alice: the only admin
            reopened = plan.follow_answer(
                cid, "GOV-01", settled=False, actor_id=actor, now=clock.now
            )
            assert reopened == Followed(PlanMove.REOPENED)
            closed_again = plan.follow_answer(
                cid, "GOV-01", settled=True, actor_id=actor, now=clock.now
            )
            assert closed_again == Followed(PlanMove.CLOSED, others_to_tell=others)
