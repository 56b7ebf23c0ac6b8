"""Assigning an action: the assignee is told, strangers are refused.

Through the real service on SQLite (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from referential.models import Referential
from storage.models import User
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import inbox
from tests.helpers.plan import Clock, answer, item_id, item_row, join_team

OTHER_SIRET = "21600057000012"


async def test_assigning_a_member_notifies_them_and_strangers_are_refused(
    alice: ChatDriver, referential: Referential, sessions: Any, clock: Clock
) -> None:
    bruno = ChatDriver.for_user(alice.service, "bruno", "Bruno")
    bruno_id = await join_team(sessions, bruno, "alice")
    await answer(alice, referential, {"ACH-03": "non"})
    item = await item_id(sessions, "ACH-03")
    await alice.tap(f"p:a:{item}")
    labels = [b.label for b in alice.buttons()]
    assert labels[:3] == ["Alice (moi)", "Bruno", "Personne"]
    await alice.press("Bruno")
    assert "Personne en charge : Bruno" in alice.text()
    notes = await inbox(sessions, "bruno")
    assert len(notes) == 1 and "Alice vous a confié" in notes[0].text
    await bruno.tap(notes[0].buttons[0][0].data)
    assert "Personne en charge : Bruno" in bruno.text()
    # Someone of another collectivité cannot be assigned, and cannot touch the item.
    stranger = ChatDriver.for_user(alice.service, "zoe", "Zoé")
    await stranger.register(siret=OTHER_SIRET, name="Autre commune")
    async with sessions() as session:
        zoe = await session.scalar(select(User.id).where(User.external_id == "zoe"))
    await alice.tap(f"p:am:{item}:{zoe}")
    assert "ne fait pas (ou plus) partie de l’équipe" in alice.text()
    assert (await item_row(sessions, item)).assignee_id == bruno_id
    for data in (
        f"p:i:{item}",
        f"p:s:{item}:r",
        f"rm:done:{item}",
        f"p:y:{item}",
        "p:i:999999",
    ):
        await stranger.tap(data)
        assert "n’existe pas ou ne concerne pas votre collectivité" in stranger.text()
    for data in ("p:i:abc", "p:i:²", "p:i:2147483648", f"p:s:{item}:z"):  # forged: never parsed
        await stranger.tap(data)
        assert "Ce bouton n’est plus valable" in stranger.text()
    assert (await item_row(sessions, item)).status == "a_faire"
