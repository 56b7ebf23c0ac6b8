"""The privacy notice: /confidentialite, /aide, and its English form."""

from __future__ import annotations

from ecoclic.service import ChatService
from tests.helpers.chat import ChatDriver


async def test_privacy_command_states_what_why_how_long_and_rights(svc: ChatService) -> None:
    chat = ChatDriver.for_user(svc)
    await chat.say("/confidentialite")
    text = chat.text()
    for part in (
        "Ce que je conserve",
        "Pourquoi",
        "Combien de temps",
        "24 mois",
        "/mesdonnees",
        "/supprimer",
    ):
        assert part in text, part


async def test_help_lists_the_data_commands(svc: ChatService) -> None:
    chat = ChatDriver.for_user(svc)
    await chat.say("/aide")
    assert (
        "/confidentialite" in chat.text()
        and "/mesdonnees" in chat.text()
        and "/supprimer" in chat.text()
    )


async def test_notice_in_english(svc: ChatService) -> None:
    chat = ChatDriver.for_user(svc, language="en")
    await chat.say("/privacy")
    assert "What I keep about you" in chat.text() and "24 months" in chat.text()
