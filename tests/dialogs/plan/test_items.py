"""One item's screens: status changes and their log, the reason of « non retenu », history.

Through the real service on SQLite (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from referential.models import Referential
from storage.models import ActionEvent
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import answer, item_id, item_row


async def test_status_changes_are_logged_and_non_retenu_needs_a_reason(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"PAR-02": "non"})
    item = await item_id(sessions, "PAR-02")
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
    row = await item_row(sessions, item)
    assert (row.status, row.reason) == ("non_retenu", "Nos postes sont loués")
    await alice.press("Historique")
    history = alice.text()
    assert history.count("Alice") == 5 and "En cours → Non retenu" in history
    async with sessions() as session:
        fields = [
            (e.field, e.old_value, e.new_value)
            for e in await session.scalars(select(ActionEvent).order_by(ActionEvent.id))
        ]
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
    assert (await item_row(sessions, item)).status == "a_faire"  # oui closed it, non reopened it


async def test_cancel_leaves_a_typed_flow_without_change(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"PAR-01": "non"})
    item = await item_id(sessions, "PAR-01")
    await alice.tap(f"p:s:{item}:x")
    await alice.say("/annuler")
    assert "Rien n’a été enregistré" in alice.text()
    assert (await item_row(sessions, item)).status == "a_faire"
