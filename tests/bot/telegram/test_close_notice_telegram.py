"""Issue 15 item 5 through Telegram: an agent marks two actions réalisé the same day; at the hour,
the dispatcher delivers exactly one message to the administrator, listing both, and nothing to the
agent. Both adapters (python-telegram-bot and aiogram), on the fake Bot API."""

from __future__ import annotations

from typing import Any

import pytest

from bot.dispatcher import OutboxDispatcher
from ecoclic.service import ChatService
from referential.models import Referential
from tests.bot.telegram.conftest import RunningBot
from tests.bot.telegram.test_reminders_telegram import add_member
from tests.helpers.plan import Clock, item_id, paris, service_with


@pytest.fixture
def clock() -> Clock:
    return Clock(paris(2026, 11, 30, 10))  # Monday


@pytest.fixture
def service(sessions: Any, referential: Referential, clock: Clock) -> ChatService:
    return service_with(sessions, referential, clock)


async def test_an_admin_receives_one_notification_after_two_closes(
    polling_bot: RunningBot, sessions: Any, referential: Referential, clock: Clock
) -> None:
    alice = polling_bot.user(1001, name="Alice")
    bruno = polling_bot.user(1002, name="Bruno")
    await alice.register()
    await alice.answer("non")  # GOV-01
    await alice.answer("non")  # GOV-02
    await bruno.say("/start")
    add_member(sessions, "1002", "1001")
    dispatcher = OutboxDispatcher(sessions, polling_bot.runtime.delivery, clock=clock)
    alice_before = len(alice.messages())

    for hour, qid in ((11, "GOV-01"), (14, "GOV-02")):
        clock.now = paris(2026, 11, 30, hour)
        await bruno.say("/plan")
        await bruno.tap_data(bruno.messages()[-1].message_id, f"p:i:{item_id(sessions, qid)}")
        await bruno.tap("Réalisé")
        await bruno.tap("Non, la garder")
        assert (await dispatcher.run_once()).sent == 0  # gathered, not sent before the hour

    bruno_before = len(bruno.messages())
    clock.now = paris(2026, 11, 30, 17)
    assert (await dispatcher.run_once()).sent == 1
    new = alice.messages()[alice_before:]
    assert len(new) == 1
    (notice,) = new
    assert notice.text.startswith("2 actions du plan ont été marquées réalisées :")
    for qid in ("GOV-01", "GOV-02"):
        assert f"{referential.question(qid).advice().title} — par Bruno" in notice.text
    assert [label for row in notice.buttons for label, _data in row] == ["Voir le plan d’actions"]
    assert len(bruno.messages()) == bruno_before  # the agent who closed them is not told
    assert (await dispatcher.run_once()).sent == 0
