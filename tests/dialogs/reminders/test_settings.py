"""Reminder buttons (done, in progress, snooze, mute) and /rappels.

Through the real service on SQLite (tests/dialogs/reminders/conftest.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from referential.models import Referential
from storage.models import User
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import answer, item_id, item_row


async def test_reminder_buttons_and_rappels(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"RES-03": "non"})
    item = item_id(sessions, "RES-03")
    await alice.tap(f"rm:wip:{item}")
    assert "est en cours" in alice.text()
    await alice.tap(f"rm:snz:{item}")
    assert "le lundi 30 novembre 2026" in alice.text()
    await alice.tap(f"rm:mute:{item}")
    row = item_row(sessions, item)
    assert (row.status, row.snoozed_until.isoformat(), row.reminders_muted) == (  # type: ignore[union-attr]
        "en_cours",
        "2026-11-30",
        True,
    )
    await alice.tap(f"p:i:{item}")
    await alice.press("Réactiver les rappels")
    assert not item_row(sessions, item).reminders_muted
    await alice.tap(f"rm:done:{item}")
    assert "Mettre à jour la réponse" in alice.text()
    await alice.tap(f"rm:snz:{item}")  # on a closed item
    assert "Cette action est close (Réalisé)" in alice.text()

    await alice.say("/rappels")
    assert "chaque lundi à 9 h" in alice.text()
    await alice.press("Mettre en pause")
    assert "en pause" in alice.text()
    await alice.press("Reprendre")
    await alice.press("Changer le jour")
    await alice.press("Mercredi")
    await alice.press("Changer l’heure")
    await alice.press("14 h")
    assert "chaque mercredi à 14 h" in alice.text()
    with sessions() as session:
        user = session.scalar(select(User).where(User.external_id == "alice"))
        assert user is not None
        assert (user.reminders_paused, user.digest_weekday, user.digest_hour) == (False, 2, 14)
        assert user.reminders_resumed_at is not None
    await alice.tap("rm:hour:3")  # not an offered hour: the choice is offered again
    assert "À quelle heure ?" in alice.text()
    await alice.say("/rappels")
    assert "chaque mercredi à 14 h" in alice.text()
