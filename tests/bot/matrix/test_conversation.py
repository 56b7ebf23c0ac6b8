"""Whole conversations through the Matrix channel against a real Synapse, encrypted by default."""

from __future__ import annotations

from tests.bot.matrix.conftest import Person


async def test_start_in_an_encrypted_direct_room(person: Person) -> None:
    texts = await person.say("/start")
    assert "Inscrire ma collectivité" in texts
    notice = list(person.user.notices.values())[-1]
    assert notice.raw[0]["msgtype"] == "m.notice"
    assert "1. " in notice.body
