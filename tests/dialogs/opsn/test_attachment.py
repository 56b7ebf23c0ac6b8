"""OPSN attachment on the fake store: requests, referent decisions, refusals, level 2."""

from __future__ import annotations

import re

from referential.models import Referential
from tests.dialogs.opsn.steps import attachment_statuses, level2, request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button


async def test_request_accept_informs_both_sides_and_unlocks_level2(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin, elu, ref, ref2 = world["admin"], world["elu"], world["ref"], world["ref2"]
    await admin.say("/rattachement")
    assert "OPSN qui desservent le département 31" in admin.text()
    assert [b.label for b in admin.buttons()] == ["Opérateur Occitan", "Voir tous les OPSN (2)"]
    await admin.press("Voir tous")
    assert admin.last is not None and admin.last.replies[0].edit  # in place: no stale keyboard
    assert [b.label for b in admin.buttons()] == [
        "Opérateur Occitan",
        "Opérateur Lointain",
        "← OPSN du département",
    ]
    await admin.press("OPSN du département")
    assert "OPSN qui desservent le département 31" in admin.text()
    await admin.press("Voir tous")
    await admin.press("Opérateur Occitan")
    await admin.press("Envoyer la demande")

    notice = fake_db.inbox("ref")[-1]
    assert "Nouvelle demande de rattachement à Opérateur Occitan" in notice.text
    assert "Commune de Beauvoir" in notice.text
    assert "Commune · département 31 · 1\u202f200 habitants" in notice.text
    assert "Demande envoyée par Camille" in notice.text
    assert fake_db.inbox("ref2")[-1].text == notice.text
    assert fake_db.inbox("far") == []

    await ref.tap(button(notice, "Accepter"))
    assert "✅ Opérateur Occitan accompagne désormais Commune de Beauvoir" in ref.text()
    for person in ("admin", "elu"):
        assert "a accepté d’accompagner Commune de Beauvoir" in fake_db.last_text(person)
    assert level2(fake_db) == {"Commune de Beauvoir": True}
    await elu.say("/niveau2")
    assert "Niveau 2 — Commune de Beauvoir" in elu.text()

    await ref2.tap(button(fake_db.inbox("ref2")[-1], "Accepter"))
    assert "déjà été acceptée par Romane" in ref2.text()
    await ref2.tap(button(fake_db.inbox("ref2")[-1], "Refuser"))
    assert "déjà été acceptée par Romane" in ref2.text()
    assert len(fake_db.inbox("elu")) == 1  # the élu was told once

    await ref2.say("/collectivites")
    listing = ref2.text()
    assert "Collectivités accompagnées par Opérateur Occitan (1)" in listing
    assert "Commune de Beauvoir (31) — pas encore commencé" in listing
    assert "dernière activité le 23 novembre 2026" in listing

    await admin.say("/rattachement")
    assert "accompagnée par Opérateur Occitan" in admin.text()
    await admin.tap("at:send:2")  # a second OPSN while attached: no
    assert "accompagnée par Opérateur Occitan" in admin.text()
    assert len(attachment_statuses(fake_db)) == 1


async def test_profile_shows_index_and_progress(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    admin = world["admin"]
    first = referential.level_questions(1)[0]
    await admin.say("/questionnaire")
    await admin.tap(
        f"a:{first.id}:oui" if not first.options else f"a:{first.id}:{first.options[-1].id}"
    )
    await request_attachment(admin)
    text = fake_db.inbox("ref")[-1].text
    assert re.search(r"Indice \d+/100, lettre [A-E] · questionnaire rempli à \d+\s%", text), text


async def test_refusal_then_another_request(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin, ref, far = world["admin"], world["ref"], world["far"]
    await request_attachment(admin)
    await ref.tap(button(fake_db.inbox("ref")[-1], "Refuser"))
    assert "Demande de Commune de Beauvoir refusée" in ref.text()
    assert "n’a pas accepté la demande" in fake_db.last_text("elu")
    assert level2(fake_db) == {"Commune de Beauvoir": False}
    await world["elu"].say("/niveau2")
    assert "se débloque quand un OPSN accepte" in world["elu"].text()
    await admin.say("/rattachement")
    await admin.press("Voir tous")
    await admin.press("Opérateur Lointain")
    await admin.press("Envoyer la demande")
    await far.tap(button(fake_db.inbox("far")[-1], "Accepter"))
    assert level2(fake_db) == {"Commune de Beauvoir": True}


async def test_forbidden_actions_are_refused(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin, elu, ref, far = world["admin"], world["elu"], world["ref"], world["far"]
    await elu.say("/rattachement")
    assert "Seuls ses administrateurs peuvent demander" in elu.text()
    for data in ("at:all", "at:rq:1", "at:send:1"):
        await elu.tap(data)
        assert "Seuls les administrateurs de Commune de Beauvoir" in elu.text(), data

    await request_attachment(admin)
    notice = fake_db.inbox("ref")[-1]
    for intruder in (far, admin, elu):
        await intruder.tap(button(notice, "Accepter"))
        assert "réservée aux référents de l’OPSN concerné" in intruder.text()
    await elu.tap(button(notice, "Refuser"))
    assert "réservée aux référents" in elu.text()
    attachment_id = button(notice, "Accepter").split(":")[-1]
    await elu.tap(f"at:wd:{attachment_id}")
    assert "Seuls les administrateurs" in elu.text()
    await far.tap(f"at:wd:{attachment_id}")
    assert "inscrire votre collectivité" in far.text()

    await ref.tap(button(notice, "Accepter"))
    for intruder in (elu, far):
        await intruder.tap(f"at:endok:{attachment_id}")
        assert "Seuls les administrateurs de la collectivité et les référents" in intruder.text()
    for person in (admin, elu):
        await person.say("/collectivites")
        assert "réservée aux référents d’un OPSN" in person.text()
    await far.say("/collectivites")
    assert "Opérateur Lointain n’accompagne encore aucune collectivité" in far.text()
    await far.tap("at:l:1:0")  # the other OPSN's list
    assert "réservée aux référents de l’OPSN concerné" in far.text()
    for person in (admin, ref):
        await person.say("/admin")
        assert "réservée aux administrateurs de la plateforme" in person.text()
        await person.tap("pa:ref:1")
        assert "réservée aux administrateurs de la plateforme" in person.text()
    assert level2(fake_db) == {"Commune de Beauvoir": True}


FORGED = (
    "at:a:9223372036854775808",  # past a 64-bit integer: an OverflowError in the database before
    "at:a:2147483648",  # past a database integer
    "at:r:²",  # a digit to str.isdigit(), not to int()
    "at:wd:٣",
    "at:end:-1",
    "at:endok",  # the id is missing
    "at:send:1:2",  # one field too many
    "at:rq:x",
    "at:l:1",  # the page is missing
    "at:ends:1:²",
    "at:zz:1",  # no such action
    "at",
)


async def test_forged_attachment_buttons_get_the_stale_button_reply(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin, ref = world["admin"], world["ref"]
    await request_attachment(admin)
    for person in (admin, ref):
        for data in FORGED:
            await person.tap(data)
            assert "Ce bouton n’est plus valable" in person.text(), data
    assert level2(fake_db) == {"Commune de Beauvoir": False}
    assert attachment_statuses(fake_db) == ["pending"]


async def test_stale_attachment_buttons_are_refused_clearly(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin, ref = world["admin"], world["ref"]
    for data in ("at:a:999", "at:r:999", "at:end:999", "at:endok:999", "at:wd:2147483647"):
        await ref.tap(data)
        assert "Ce bouton n’est plus valable" in ref.text(), data
    for data in ("at:rq:999", "at:send:999"):
        await admin.tap(data)
        assert "Cet OPSN n’existe plus" in admin.text(), data
    await admin.tap("at:no")
    assert "rien n’a changé" in admin.text()
    assert attachment_statuses(fake_db) == []


async def test_attachment_buttons_keep_their_wire_format(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    """Buttons already on phones and in the outbox must keep working."""
    admin, ref = world["admin"], world["ref"]
    await admin.say("/rattachement")
    assert [b.data for b in admin.buttons()] == ["at:rq:1", "at:all"]
    await admin.press("Voir tous")
    assert [b.data for b in admin.buttons()] == ["at:rq:1", "at:rq:2", "at:loc"]
    await admin.press("Opérateur Occitan")
    assert [b.data for b in admin.buttons()] == ["at:send:1", "at:no"]
    await admin.press("Envoyer la demande")
    assert [b.data for b in admin.buttons()] == ["at:wd:1"]
    notice = fake_db.inbox("ref")[-1]
    assert [b.data for row in notice.buttons for b in row] == ["at:a:1", "at:r:1"]
    await ref.tap("at:a:1")
    await admin.say("/rattachement")
    assert [b.data for b in admin.buttons()] == ["at:end:1"]
    await admin.press("Mettre fin")
    assert [b.data for b in admin.buttons()] == ["at:endok:1", "at:no"]
    await ref.say("/collectivites")
    assert [b.data for b in ref.buttons()] == ["sv:p:1:0", "pu:go:1", "at:ends:1:0", "pu:l:1"]
    await ref.press("Mettre fin à un suivi")
    assert [b.data for b in ref.buttons()] == ["at:end:1"]
