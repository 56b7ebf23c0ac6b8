"""Registering a collectivité, through the real engine and service on the fake store."""

from __future__ import annotations

import re

import pytest

from dialogs.parsing import parse_siret
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
    assert "indique le département 31" in chat.text()  # Toulouse's SIREN says 31
    await chat.say("2a")  # typed again: the person knows better
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


async def _to_siret(chat: ChatDriver) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")


async def test_siret_prompt_example_passes_its_checksum(chat: ChatDriver) -> None:
    await _to_siret(chat)
    example = re.search(r"par exemple ([0-9 ]{17})", chat.text())
    assert example is not None and parse_siret(example[1]) is not None


async def test_siret_with_the_word_siren_and_non_public_bodies(
    chat: ChatDriver, fake_db: FakeDatabase
) -> None:
    await _to_siret(chat)
    await chat.say("213 105 554")
    assert "il manque les 5 chiffres de l’établissement (NIC)" in chat.text()
    await chat.say("44306184100047")  # a company's SIRET (valid checksum)
    assert "organisme public" in chat.text()
    await chat.press("Corriger")
    assert "Quel est le numéro SIRET" in chat.text()
    await chat.say("44306184100047")
    await chat.press("Oui, continuer")
    assert "type de collectivité" in chat.text()
    await chat.say("retour")
    assert "Quel est le numéro SIRET" in chat.text()
    await chat.say("SIRET 213 105 554 00017")
    assert "type de collectivité" in chat.text()


async def test_commune_departement_is_proposed_and_population_is_forgiving(
    chat: ChatDriver, fake_db: FakeDatabase
) -> None:
    await _to_siret(chat)
    await chat.say(SIRET)
    await chat.press("Commune")
    await chat.say("Toulouse")
    assert "D’après le SIRET de la commune : 31" in chat.text()
    await chat.say("bonjour")
    assert "Bonjour" in chat.text() and "département" in chat.text()
    await chat.press("31")
    for typed, reason in (
        ("0", "au moins un habitant"),
        ("-12", "négatif"),
        ("80 millions", "population de la France"),
        ("beaucoup", "par exemple 1250, 12 000 ou 1,2 k"),
    ):
        await chat.say(typed)
        assert reason in chat.text(), typed
    await chat.say("504 078 habitants")
    assert "Vérifiez avant d’enregistrer" in chat.text()
    # One field corrected alone, then straight back to the check.
    await chat.press("Population")
    await chat.say("1,2 k")
    assert "Vérifiez avant d’enregistrer" in chat.text() and "1 200" in chat.text()
    await chat.press("Nom")
    await chat.say("Mairie de Toulouse")
    await chat.press("Enregistrer")
    (row,) = fake_db.rows("collectivites")
    assert (row["name"], row["departement"], row["population"]) == (
        "Mairie de Toulouse",
        "31",
        1200,
    )
