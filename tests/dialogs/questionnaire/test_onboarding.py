"""Registering a collectivité, through the real engine and service on the fake store."""

from __future__ import annotations

import pytest

from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase

SIRET = "21310555400017"


async def test_registration_validates_each_field(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say("123")
    assert "pas un SIRET valide" in chat.text()
    await chat.say("21310555400018")  # bad check digit
    assert "pas un SIRET valide" in chat.text()
    await chat.say("213 105 554 00017")
    assert "type de collectivité" in chat.text()
    await chat.say("n’importe quoi")
    assert "type de collectivité" in chat.text()
    await chat.press("Commune")
    await chat.say("x")
    assert "entre 2 et 200" in chat.text()
    await chat.say("Commune de Test")
    await chat.say("99")
    assert "Je ne connais pas ce département" in chat.text()
    await chat.say("2a")
    await chat.say("beaucoup")
    assert "nombre d’habitants" in chat.text()
    await chat.say("12 500")
    assert "2A" in chat.text() and "12" in chat.text()
    await chat.press("Enregistrer")
    assert "est enregistrée" in chat.text()
    (row,) = fake_db.rows("collectivites")
    assert (row["siret"], row["departement"], row["population"], row["kind"]) == (
        SIRET,
        "2A",
        12500,
        "commune",
    )
    assert [m["role"] for m in fake_db.rows("memberships")] == ["admin"]


async def test_kind_typed_by_number(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say(SIRET)
    for typed in (
        "²",
        "٣",
        "0",
        "6",
        "99999999999999999999",
    ):  # digits int() refuses, or out of range
        await chat.say(typed)
        assert "type de collectivité" in chat.text(), typed
    await chat.say("2")
    assert "Quel est son nom" in chat.text()
    await chat.say("Communauté de Test")
    await chat.say("31")
    await chat.say("40000")
    await chat.press("Enregistrer")
    assert [r["kind"] for r in fake_db.rows("collectivites")] == ["epci"]


async def test_cancel_registration_stores_nothing(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say(SIRET)
    await chat.say("/annuler")
    assert "Rien n’a été enregistré" in chat.text()
    assert fake_db.count("collectivites") == 0


async def test_cancel_button_and_out_of_step_buttons(chat: ChatDriver) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.tap("ob:ok")  # confirming before the SIRET: the question is asked again
    assert "plus valable" in chat.text() and "SIRET" in chat.text()
    await chat.tap("ob:k:commune")
    assert "plus valable" in chat.text() and "SIRET" in chat.text()
    await chat.press("Annuler")
    assert "Inscription annulée" in chat.text()
    assert chat.last is not None and chat.last.replies[0].edit
    await chat.tap("ob:k:commune")
    assert "n’est plus en cours" in chat.text()


@pytest.mark.parametrize("data", ["ob:k:mairie", "ob:k:", "ob:k:commune:x", "ob:zz", "ob"])
async def test_forged_registration_buttons(chat: ChatDriver, data: str) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say(SIRET)
    await chat.tap(data)
    assert "Ce bouton n’est plus valable" in chat.text()


async def test_known_siret_sends_join_request_not_duplicate(
    service: object, fake_db: FakeDatabase
) -> None:
    admin = ChatDriver.for_user(service, "admin", "Alice")  # type: ignore[arg-type]
    await admin.register(SIRET)
    newcomer = ChatDriver.for_user(service, "new", "Bob")  # type: ignore[arg-type]
    await newcomer.say("/start")
    await newcomer.press("Inscrire")
    await newcomer.say(SIRET)
    assert "déjà inscrite" in newcomer.text()
    await newcomer.say("/start")
    await newcomer.press("Inscrire")
    await newcomer.say(SIRET)
    assert "déjà transmise" in newcomer.text()
    assert fake_db.count("collectivites") == 1
    assert fake_db.count("join_requests") == 1
    outbox = fake_db.outbox()
    assert len(outbox) == 1 and "Bob" in outbox[0].payload["text"]
    assert [b["label"] for b in outbox[0].payload["buttons"][0]] == ["Accepter", "Refuser"]
    request_id = fake_db.rows("join_requests")[0]["id"]
    assert [b["data"] for b in outbox[0].payload["buttons"][0]] == [
        f"jr:a:{request_id}",
        f"jr:r:{request_id}",
    ]


async def test_member_cannot_register_again(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.register(SIRET)
    await chat.tap("ob:go")
    assert "déjà membre" in chat.text()
    assert fake_db.count("collectivites") == 1
