"""Adding the team's own action through Telegram, both libraries (fake Bot API, SQLite): the
guided flow edits its message step by step, and a second tap on « Enregistrer » adds nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import ActionItem
from tests.bot.telegram.conftest import RunningBot

TITLE = "Éteindre les écrans le soir"


async def test_an_own_action_is_added_through_telegram(
    polling_bot: RunningBot, sessions: Any
) -> None:
    user = polling_bot.user(1601, name="Camille")
    await user.register()
    await user.say("/plan")
    await user.tap("➕ Ajouter une action")
    await user.say(TITLE)
    await user.tap("Gouvernance")
    await user.tap("Nécessaire")
    await user.tap("Passer")
    await user.tap("Plus tard")
    review = await user.say("15/03/2027")
    assert TITLE in user.texts(review) and "15 mars 2027" in user.texts(review)
    screen = next(m for m in review if m.buttons)
    save = next(data for row in screen.buttons for label, data in row if label == "Enregistrer")
    saved = await user.tap_data(screen.message_id, save)
    assert "Action de l’équipe" in user.texts(saved) and TITLE in user.texts(saved)
    await user.tap_data(screen.message_id, save)  # a double tap, from the same message
    with sessions() as session:
        rows = session.scalars(select(ActionItem).where(ActionItem.question_id.is_(None))).all()
        assert [(r.title, r.origin) for r in rows] == [(TITLE, "team")]
    listed = await user.say("/plan")
    assert TITLE in user.texts(listed)
