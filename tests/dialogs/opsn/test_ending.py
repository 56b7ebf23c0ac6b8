"""The end of an attachment: a request withdrawn, an accepted attachment ended from either side."""

from __future__ import annotations

from tests.dialogs.opsn.steps import level2, request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button


async def test_withdraw_and_end_from_both_sides(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin, ref = world["admin"], world["ref"]
    await request_attachment(admin)
    await admin.press("Retirer la demande")
    assert "Demande retirée" in admin.text()
    assert "a retiré sa demande" in fake_db.last_text("ref")
    stale = fake_db.inbox("ref")[0]
    await ref.tap(button(stale, "Accepter"))
    assert "Commune de Beauvoir a retiré cette demande" in ref.text()
    assert level2(fake_db) == {"Commune de Beauvoir": False}

    await request_attachment(admin)
    await ref.tap(button(fake_db.inbox("ref")[-1], "Accepter"))
    await ref.say("/collectivites")
    await ref.press("Mettre fin à un suivi")
    await ref.press("Commune de Beauvoir")
    await ref.press("Oui, mettre fin")
    assert "est terminé" in ref.text()
    assert "Opérateur Occitan a mis fin" in fake_db.last_text("elu")
    assert "Opérateur Occitan a mis fin" in fake_db.last_text("ref2")
    assert level2(fake_db) == {"Commune de Beauvoir": False}

    await request_attachment(admin)
    await ref.tap(button(fake_db.inbox("ref")[-1], "Accepter"))
    await admin.say("/rattachement")
    await admin.press("Mettre fin")
    await admin.press("Oui, mettre fin")
    assert "Commune de Beauvoir a mis fin" in fake_db.last_text("ref")
    assert "Commune de Beauvoir a mis fin" in fake_db.last_text("elu")
    await ref.say("/collectivites")
    assert "n’accompagne encore aucune collectivité" in ref.text()
