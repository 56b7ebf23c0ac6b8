"""Closing the loop through Telegram: a reminder reaches the agent via the outbox dispatcher and the
fake Bot API; the agent taps « Fait », confirms the answer update, and /score shows the index risen
by the question's weight. Both adapters (python-telegram-bot and aiogram)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from bot.dispatcher import OutboxDispatcher
from ecoclic.reminders import tick_once
from ecoclic.service import ChatService
from referential.models import Referential
from referential.scoring import score
from storage.models import Membership, User
from tests.bot.telegram.conftest import RunningBot
from tests.helpers.plan import Clock, item_id, paris, service_with


@pytest.fixture
def clock() -> Clock:
    return Clock(paris(2026, 11, 30, 10))  # Monday


@pytest.fixture
def service(sessions: Any, referential: Referential, clock: Clock) -> ChatService:
    """The bot's service runs on the test's clock."""
    return service_with(sessions, referential, clock)


def add_member(sessions: Any, external_id: str, admin_external_id: str) -> None:
    with sessions() as session, session.begin():
        admin = session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.external_id == admin_external_id)
        )
        user = session.scalar(select(User.id).where(User.external_id == external_id))
        assert admin is not None and user is not None
        session.add(
            Membership(
                collectivite_id=admin.collectivite_id,
                user_id=user,
                role="member",
                function_label="",
                created_at=admin.created_at,
            )
        )


def index_in(text: str) -> int:
    found = re.search(r"Indice de maturité : (\d+)/100", text)
    assert found is not None, text
    return int(found.group(1))


async def test_agent_marks_a_reminder_done_and_the_index_rises(
    polling_bot: RunningBot, sessions: Any, referential: Referential, clock: Clock
) -> None:
    alice = polling_bot.user(1001, name="Alice")
    bruno = polling_bot.user(1002, name="Bruno")
    await alice.register()
    assert alice.question() is not None and alice.question()[1] == "GOV-01"  # type: ignore[index]
    await alice.answer("non")
    before = index_in(alice.texts(await alice.say("/score")))
    await bruno.say("/start")
    add_member(sessions, "1002", "1001")

    # Alice gives the action to Bruno, due Friday 4 December 2026.
    await alice.say("/plan")
    item = item_id(sessions, "GOV-01")
    plan_message = alice.messages()[-1]
    await alice.tap_data(plan_message.message_id, f"p:i:{item}")
    await alice.tap("Attribuer")
    await alice.tap("Bruno")
    await alice.tap("Échéance")
    await alice.tap("Saisir une date")
    card = alice.texts(await alice.say("04/12/2026"))
    assert "Personne en charge : Bruno" in card and "vendredi 4 décembre 2026" in card

    # Thursday 3 December, 09:00: the J-1 reminder is queued, then delivered by the dispatcher.
    clock.now = paris(2026, 12, 3, 9)
    assert tick_once(sessions, referential, clock.now) == 1
    dispatcher = OutboxDispatcher(sessions, polling_bot.runtime.delivery, clock=clock)
    stats = await dispatcher.run_once()
    assert (stats.sent, stats.undeliverable) == (2, 0)  # the assignment note and the reminder
    reminder = bruno.messages()[-1]
    assert "arrive à échéance le vendredi 4 décembre 2026 (demain)" in reminder.text
    assert [label for row in reminder.buttons for label, _data in row] == [
        "Fait",
        "En cours",
        "Reporter d’une semaine",
        "Ne plus me le rappeler",
    ]

    # Bruno taps « Fait », then confirms: only then does the answer change.
    clock.now = paris(2026, 12, 3, 9, 12)
    offer = bruno.texts(await bruno.tap("Fait"))
    after = score(referential, {"GOV-01": "oui"}).index
    assert f"passerait de {before} à {after}/100" in offer
    assert "Statut : Réalisé" in bruno.messages()[-2].text  # the reminder became the item card
    await bruno.tap("Oui, mettre à jour")
    shown = index_in(bruno.texts(await bruno.say("/score")))
    weight = referential.weight(referential.question("GOV-01"))
    total = sum(referential.weight(q) for q in referential.level_questions(1))
    assert shown == after and shown - before == round(100 * weight / total)
    answered = {c.query_id for c in polling_bot.fake.answered_callbacks}
    assert set(bruno.callback_ids) <= answered, "a callback query was left unanswered"
