"""Administrators rewrite or delete the team's own actions; members and referential items cannot.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from referential.models import Referential
from tests.dialogs.plan.steps import TITLE, add_own, item_id, item_row, join_team
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer


async def test_an_admin_rewrites_then_deletes_an_own_action(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    own = add_own(fake_db, referential, "alice")
    await alice.tap(f"p:i:{own.id}")
    await alice.press("Modifier")
    await alice.press("Titre")
    await alice.say("ab")
    assert "trop court" in alice.text()
    await alice.say("  Éteindre   les écrans chaque soir ")
    assert "n° E" in alice.text() and "Éteindre les écrans chaque soir" in alice.text()
    await alice.press("Modifier")
    await alice.press("Description")
    await alice.say("x" * 1001)
    assert "trop longue" in alice.text()
    await alice.say("aucune")
    assert item_row(fake_db, own.id)["details"] is None
    await alice.press("Historique")
    assert "titre" in alice.text() and TITLE in alice.text()
    await alice.tap(f"p:i:{own.id}")
    await alice.press("Supprimer")
    assert "C’est définitif" in alice.text()
    assert item_row(fake_db, own.id)  # nothing gone before the confirmation
    await alice.press("Oui, supprimer")
    assert "est supprimée" in alice.text()
    assert not [r for r in fake_db.rows("action_items") if r["id"] == own.id]
    assert not [r for r in fake_db.rows("action_events") if r["action_item_id"] == own.id]
    await alice.tap(f"p:od:{own.id}:1")  # a second tap
    assert "n’existe pas" in alice.text()


async def test_members_and_referential_items_are_refused(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    bruno = ChatDriver.for_user(alice.service, "bruno", "Bruno")
    await join_team(fake_db, bruno, "alice")
    own = add_own(fake_db, referential, "alice")
    await bruno.tap(f"p:i:{own.id}")
    assert "Modifier" not in [b.label for b in bruno.buttons()]
    await bruno.tap(f"p:od:{own.id}:1")  # forged by a member
    assert "Seuls les administrateurs" in bruno.text()
    await bruno.tap(f"p:oe:{own.id}:t")
    assert "Seuls les administrateurs" in bruno.text()
    await answer(alice, referential, {"PAR-02": "non"})
    ref_item = item_id(fake_db, "PAR-02")
    await alice.tap(f"p:od:{ref_item}:1")  # a recommendation is never deleted
    assert "Seules les actions de l’équipe" in alice.text()
    assert item_row(fake_db, ref_item) and item_row(fake_db, own.id)
