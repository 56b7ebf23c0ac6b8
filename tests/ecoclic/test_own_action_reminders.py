"""Reminders treat the team's own action like any other: its assignee gets the due-date reminder
and the weekly digest, and « Fait » from the reminder closes it without offering an answer update.

On SQLite and PostgreSQL, through the real service and the real tick."""

from __future__ import annotations

from sqlalchemy import select

from dialogs.replies import Reply
from ecoclic.reminders import tick_once
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.models import ActionItem, OutboxMessage, User
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import button
from tests.helpers.plan import Clock, join_team, paris, service_with

TZ = "Europe/Paris"
TITLE = "Éteindre les écrans le soir"


async def test_an_own_action_gets_its_reminders(db_url: str, referential: Referential) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    clock = Clock(paris(2026, 11, 23, 10))
    service = service_with(sessions, referential, clock)
    try:
        alice = ChatDriver.for_user(service, "alice", "Alice")
        bruno = ChatDriver.for_user(service, "bruno", "Bruno")
        await alice.register()
        await join_team(sessions, bruno, "alice")
        await alice.say("/plan")
        await alice.press("➕ Ajouter une action")
        await alice.say(TITLE)
        await alice.tap(alice.buttons()[0].data)  # the first theme
        await alice.press("Prioritaire")
        await alice.press("Passer")
        await alice.press("Bruno")
        await alice.say("07/12/2026")
        await alice.press("Enregistrer")
        with sessions() as session:
            item = session.scalars(select(ActionItem).where(ActionItem.title == TITLE)).one()
            bruno_id = session.scalars(select(User.id).where(User.external_id == "bruno")).one()
        assert item.question_id is None and item.assignee_id == bruno_id

        monday = paris(2026, 11, 30, 9)  # J-7 and Bruno's digest slot
        clock.now = monday
        assert tick_once(sessions, referential, monday, tz=TZ) >= 2
        with sessions() as session:
            rows = session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.user_id == bruno_id)
                .order_by(OutboxMessage.id)
            ).all()
            replies = {row.key: Reply.from_json(row.payload) for row in rows}
        due = [r for k, r in replies.items() if "échéance" in r.text and k.startswith("due")]
        digest = [r for k, r in replies.items() if k.startswith("digest")]
        assert due and TITLE in due[0].text
        assert digest and TITLE in digest[0].text
        await bruno.tap(button(due[0], "Fait"))
        assert "Statut : Réalisé" in bruno.text()
        assert "Mettre à jour la réponse" not in bruno.text()
        assert tick_once(sessions, referential, monday, tz=TZ) == 0  # nothing queued twice
    finally:
        service.close()
        engine.dispose()
