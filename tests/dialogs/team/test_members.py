"""/equipe on the fake store: roles, removing, leaving, and refusals of wrong roles or data."""

from __future__ import annotations

import pytest

from ecoclic.service import ChatService
from tests.dialogs.team.steps import OTHER_SIRET, SIRET, ask_to_join, invite, roles
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button


async def test_wrong_roles_are_refused_clearly(svc: ChatService, fake_db: FakeDatabase) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elu = ChatDriver.for_user(svc, "u2", "Dominique")
    stranger = ChatDriver.for_user(svc, "u4", "Fred")
    outsider = ChatDriver.for_user(svc, "u5", "Gabi")
    await admin.register(siret=SIRET, name="Commune A")
    await elu.say(f"/start {await invite(admin)}")
    await outsider.register(siret=OTHER_SIRET, name="Commune B")

    for data in ("tm:inv", "tm:rm", "tm:rm:1", "tm:rmok:1", "tm:adm", "tm:adm:2"):
        await elu.tap(data)
        assert "Seuls les administrateurs de Commune A" in elu.text(), data
    await elu.say("/equipe")
    assert "Inviter" not in [b.label for b in elu.buttons()]

    await stranger.say("/equipe")
    assert "inscrire votre collectivité" in stranger.text()
    await stranger.tap("tm:inv")
    assert "inscrire votre collectivité" in stranger.text()

    await ask_to_join(ChatDriver.for_user(svc, "u6", "Hana"))  # a request for Commune A
    request = fake_db.inbox("u1")[-1]
    await outsider.tap(button(request, "Accepter"))  # admin of Commune B
    assert "concerne une autre collectivité" in outsider.text()
    await elu.tap(button(request, "Accepter"))
    assert "Seuls les administrateurs" in elu.text()
    await outsider.tap("tm:rmok:2")  # u2 is in Commune A, not B
    assert "ne fait pas (ou plus) partie de l’équipe de Commune B" in outsider.text()
    assert roles(fake_db) == {"u1": "admin", "u2": "member", "u5": "admin"}


async def test_last_admin_cannot_leave_and_members_can_be_removed(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elu = ChatDriver.for_user(svc, "u2", "Dominique")
    await admin.register(siret=SIRET, name="Commune A")
    await elu.say(f"/start {await invite(admin)}")

    await admin.tap("tm:leaveok")
    assert "seul administrateur ou la seule administratrice" in admin.text()
    await admin.say("/equipe")
    await admin.press("Retirer")
    await admin.press("Dominique")
    await admin.press("Oui, retirer")
    assert "Dominique ne fait plus partie" in admin.text()
    assert "Camille vous a retiré·e" in fake_db.last_text("u2")
    await elu.say("/questionnaire")
    assert "inscrire votre collectivité" in elu.text()

    await elu.say(f"/start {await invite(admin)}")
    await admin.tap("tm:adm:2")
    await admin.say("/equipe")
    await admin.press("Quitter")
    await admin.press("Oui, quitter")
    assert "Vous avez quitté l’équipe de Commune A" in admin.text()
    assert "Camille a quitté l’équipe" in fake_db.last_text("u2")
    assert roles(fake_db) == {"u2": "admin"}


FORGED = (
    "tm:rm:2147483648",  # past a database integer
    "tm:rmok:9223372036854775808",  # past a 64-bit integer
    "tm:adm:²",  # a digit to str.isdigit(), not to int()
    "tm:rmok:٣",
    "tm:rmok",  # the id is missing
    "tm:rm:1:2",  # one field too many
    "tm:adm:-1",
    "tm:zz",  # no such action
    "tm",
    "jr:a:9223372036854775808",
    "jr:r:²",
    "jr:a",
    "jr:x:1",
)


@pytest.mark.parametrize("data", FORGED)
async def test_forged_team_buttons_get_the_stale_button_reply(
    svc: ChatService, fake_db: FakeDatabase, data: str
) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elu = ChatDriver.for_user(svc, "u2", "Dominique")
    await admin.register(siret=SIRET, name="Commune A")
    await elu.say(f"/start {await invite(admin)}")
    await admin.tap(data)
    assert "Ce bouton n’est plus valable" in admin.text(), data
    assert roles(fake_db) == {"u1": "admin", "u2": "member"}


async def test_stale_team_buttons_are_refused_clearly(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    """Well-formed data about people or requests that are not (or no longer) there."""
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elu = ChatDriver.for_user(svc, "u2", "Dominique")
    await admin.register(siret=SIRET, name="Commune A")
    await elu.say(f"/start {await invite(admin)}")
    for data in ("tm:rm:999", "tm:rmok:999", "tm:adm:999", "tm:adm:2147483647"):
        await admin.tap(data)
        assert "ne fait pas (ou plus) partie de l’équipe de Commune A" in admin.text(), data
    await admin.tap("jr:a:999")
    assert "concerne une autre collectivité" in admin.text()
    await admin.tap("tm:rmok:1")  # oneself
    assert "utilisez « Quitter l’équipe »" in admin.text()
    await admin.tap("tm:no")
    assert "rien n’a changé" in admin.text()
    assert roles(fake_db) == {"u1": "admin", "u2": "member"}


async def test_team_buttons_keep_their_wire_format(svc: ChatService) -> None:
    """Buttons already on phones must keep working: the data of every /equipe button."""
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elu = ChatDriver.for_user(svc, "u2", "Dominique")
    await admin.register(siret=SIRET, name="Commune A")
    await elu.say(f"/start {await invite(admin)}")
    await admin.say("/equipe")
    assert "(2 personnes)" in admin.text()
    assert [b.data for b in admin.buttons()] == [
        "tm:inv",
        "tm:rm",
        "tm:adm",
        "tm:f",
        "tm:leave",
    ]
    await admin.press("Retirer")
    assert [b.data for b in admin.buttons()] == ["tm:rm:2"]
    await admin.press("Dominique")
    assert [b.data for b in admin.buttons()] == ["tm:rmok:2", "tm:no"]
    await admin.say("/equipe")
    await admin.press("Quitter")
    assert [b.data for b in admin.buttons()] == ["tm:leaveok", "tm:no"]
    await elu.say("/equipe")
    assert "Équipe de Commune A (2 personnes)" in elu.text()
    assert [b.data for b in elu.buttons()] == ["tm:f", "tm:leave"]
    await elu.press("Ma fonction")
    assert [b.data for b in elu.buttons()] == [
        "tm:fs:elu",
        "tm:fs:sec",
        "tm:fs:agent",
        "tm:fs:dsi",
        "tm:fs:autre",
    ]


async def test_a_team_of_one_is_counted_in_the_singular(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    await admin.register(siret=SIRET, name="Commune A")
    await admin.say("/equipe")
    assert "Équipe de Commune A (une personne) :" in admin.text()
    english = ChatDriver.for_user(svc, "u1", "Camille", language="en")
    await english.say("/equipe")
    assert "Team of Commune A (one person):" in english.text()
