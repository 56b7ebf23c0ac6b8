"""A member's function: preset buttons, typed text and its validation."""

from __future__ import annotations

from ecoclic.service import ChatService
from tests.dialogs.team.steps import SIRET
from tests.helpers.chat import ChatDriver


async def test_function_can_be_typed_and_validated(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    await admin.register(siret=SIRET)
    await admin.say("/equipe")
    await admin.press("Ma fonction")
    await admin.press("Autre")
    await admin.say("x")
    assert "entre 2 et 60" in admin.text()
    await admin.say("Adjointe au numérique")
    assert "« Adjointe au numérique »" in admin.text()
    await admin.say("/equipe")
    assert "Camille — Adjointe au numérique" in admin.text()


async def test_function_buttons_of_a_welcome_and_forged_codes(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    await admin.register(siret=SIRET)
    for data in ("tm:fs:maire", "tm:fs:", "tm:fs:elu:1", "tm:fs"):
        await admin.tap(data)
        assert "Ce bouton n’est plus valable" in admin.text(), data
    await admin.tap("tm:fs:dsi")
    assert "« DSI »" in admin.text()
    await admin.say("/equipe")
    assert "Camille — DSI" in admin.text()


async def test_function_labels_are_capitalised(svc: ChatService) -> None:
    """Issue 17: « adjoint au numérique » reads « Adjoint au numérique »; the rest stays as typed."""
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    await admin.register(siret=SIRET)
    await admin.say("/equipe")
    await admin.press("Ma fonction")
    assert "Secrétaire de mairie" in [b.label for b in admin.buttons()]
    await admin.press("Autre")
    await admin.say("adjoint au numérique de la CC")
    assert "« Adjoint au numérique de la CC »" in admin.text()
    await admin.say("/equipe")
    assert "Camille — Adjoint au numérique de la CC" in admin.text()
