"""The end of an attachment: a request withdrawn, an accepted attachment ended from either side."""

from __future__ import annotations

from tests.dialogs.opsn.steps import level2, request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import button, inbox, last_text


async def test_withdraw_and_end_from_both_sides(
    world: dict[str, ChatDriver], sessions: object
) -> None:
    admin, ref = world["admin"], world["ref"]
    await request_attachment(admin)
    await admin.press("Retirer la demande")
    assert "Demande retirée" in admin.text()
    assert "a retiré sa demande" in await last_text(sessions, "ref")
    stale = (await inbox(sessions, "ref"))[0]
    await ref.tap(button(stale, "Accepter"))
    assert "Commune de Beauvoir a retiré cette demande" in ref.text()
    assert await level2(sessions) == {"Commune de Beauvoir": False}

    await request_attachment(admin)
    await ref.tap(button((await inbox(sessions, "ref"))[-1], "Accepter"))
    await ref.say("/collectivites")
    await ref.press("Mettre fin à un suivi")
    await ref.press("Commune de Beauvoir")
    await ref.press("Oui, mettre fin")
    assert "est terminé" in ref.text()
    assert "Opérateur Occitan a mis fin" in await last_text(sessions, "elu")
    assert "Opérateur Occitan a mis fin" in await last_text(sessions, "ref2")
    assert await level2(sessions) == {"Commune de Beauvoir": False}

    await request_attachment(admin)
    await ref.tap(button((await inbox(sessions, "ref"))[-1], "Accepter"))
    await admin.say("/rattachement")
    await admin.press("Mettre fin")
    await admin.press("Oui, mettre fin")
    assert "Commune de Beauvoir a mis fin" in await last_text(sessions, "ref")
    assert "Commune de Beauvoir a mis fin" in await last_text(sessions, "elu")
    await ref.say("/collectivites")
    assert "n’accompagne encore aucune collectivité" in ref.text()
