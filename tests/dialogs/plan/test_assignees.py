"""Assigning an action: the assignee is told, strangers are refused.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from referential.models import Referential
from tests.dialogs.plan.steps import item_id, item_row, join_team
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer

OTHER_SIRET = "21600057000012"


async def test_assigning_a_member_notifies_them_and_strangers_are_refused(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    bruno = ChatDriver.for_user(alice.service, "bruno", "Bruno")
    bruno_id = await join_team(fake_db, bruno, "alice")
    await answer(alice, referential, {"ACH-03": "non"})
    item = item_id(fake_db, "ACH-03")
    await alice.tap(f"p:a:{item}")
    labels = [b.label for b in alice.buttons()]
    assert labels[:3] == ["Alice (moi)", "Bruno", "Personne"]
    await alice.press("Bruno")
    assert "Personne en charge : Bruno" in alice.text()
    notes = fake_db.inbox("bruno")
    assert len(notes) == 1 and "Alice vous a confié" in notes[0].text
    await bruno.tap(notes[0].buttons[0][0].data)
    assert "Personne en charge : Bruno" in bruno.text()
    # Someone of another collectivité cannot be assigned, and cannot touch the item.
    stranger = ChatDriver.for_user(alice.service, "zoe", "Zoé")
    await stranger.register(siret=OTHER_SIRET, name="Autre commune")
    zoe = fake_db.user_id("zoe")
    await alice.tap(f"p:am:{item}:{zoe}")
    assert "ne fait pas (ou plus) partie de l’équipe" in alice.text()
    assert item_row(fake_db, item)["assignee_id"] == bruno_id
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
    assert item_row(fake_db, item)["status"] == "a_faire"
