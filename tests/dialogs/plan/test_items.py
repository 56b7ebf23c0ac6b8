"""One item's screens: status changes and their log, the reason of « non retenu », history.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from referential.models import Referential
from tests.dialogs.plan.steps import item_id, item_row
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer


async def test_status_changes_are_logged_and_non_retenu_needs_a_reason(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"PAR-02": "non"})
    item = item_id(fake_db, "PAR-02")
    await alice.tap(f"p:i:{item}")
    await alice.press("Planifié")
    await alice.press("En cours")
    assert "Statut : En cours" in alice.text()
    await alice.press("Non retenu")
    assert "Pourquoi" in alice.text()
    await alice.say("x" * 201)
    assert "plus court" in alice.text()
    await alice.say("  Nos postes  sont loués  ")
    assert "Raison : Nos postes sont loués" in alice.text()
    row = item_row(fake_db, item)
    assert (row["status"], row["reason"]) == ("non_retenu", "Nos postes sont loués")
    await alice.press("Historique")
    history = alice.text()
    assert history.count("Alice") == 5 and "En cours → Non retenu" in history
    fields = [(e["field"], e["old_value"], e["new_value"]) for e in fake_db.rows("action_events")]
    assert fields == [
        ("status", None, "a_faire"),
        ("status", "a_faire", "planifie"),
        ("status", "planifie", "en_cours"),
        ("status", "en_cours", "non_retenu"),
        ("reason", "", "Nos postes sont loués"),
    ]
    # Answering « non » again keeps the team's decision.
    await alice.tap("a:PAR-02:oui")
    await alice.tap("a:PAR-02:non")
    assert item_row(fake_db, item)["status"] == "a_faire"  # oui closed it, non reopened it


async def test_cancel_leaves_a_typed_flow_without_change(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"PAR-01": "non"})
    item = item_id(fake_db, "PAR-01")
    await alice.tap(f"p:s:{item}:x")
    await alice.say("/annuler")
    assert "Rien n’a été enregistré" in alice.text()
    assert item_row(fake_db, item)["status"] == "a_faire"
