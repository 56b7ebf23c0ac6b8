"""Issue 16 item 5, around /collectivite: joining by request and registering one more collectivité
add a membership; data rights cover every membership (export lists them, erasure leaves them all,
the last-administrator rule holds in each)."""

from __future__ import annotations

import json

from ecoclic.service import ChatService
from tests.dialogs.team.steps import OTHER_SIRET, SIRET, invite
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button

THIRD_SIRET = "21130055300016"


def memberships_of(db: FakeDatabase, external_id: str) -> list[tuple[str, str]]:
    uid = db.user_id(external_id)
    names = {c["id"]: c["name"] for c in db.rows("collectivites")}
    return sorted(
        (names[m["collectivite_id"]], m["role"])
        for m in db.rows("memberships")
        if m["user_id"] == uid
    )


async def test_join_request_adds_a_membership_and_twice_is_refused(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    a = ChatDriver.for_user(svc, "m1", "Ana")
    b = ChatDriver.for_user(svc, "m2", "Bruno")
    await a.register(siret=SIRET, name="Commune A")
    await b.register(siret=OTHER_SIRET, name="Commune B", dep="60")
    await b.say("/collectivite")
    await b.press("Autre collectivité")  # a member may start one more registration
    await b.say(SIRET)  # known: a join request to A's administrators
    assert "transmis votre demande" in b.text()
    request = fake_db.inbox("m1")[-1]
    await a.tap(button(request, "Accepter"))
    assert "Bruno fait maintenant partie de l’équipe" in a.text()
    assert memberships_of(fake_db, "m2") == [("Commune A", "member"), ("Commune B", "admin")]
    await b.say("/score")
    assert b.text().startswith("🏛 Commune A\n")  # the team just joined is the active one

    await b.say("/collectivite")
    await b.press("Autre collectivité")
    await b.say(SIRET)  # the same collectivité again: refused politely, nothing sent
    assert "déjà partie de l’équipe de Commune A" in b.text()
    assert len(fake_db.inbox("m1")) == 1
    await a.tap(button(request, "Accepter"))  # the old request, pressed again
    assert "déjà été acceptée" in a.text()
    assert fake_db.count("memberships") == 3


async def test_registering_one_more_collectivite(svc: ChatService, fake_db: FakeDatabase) -> None:
    sec = ChatDriver.for_user(svc, "s1", "Sophie")
    await sec.register(siret=SIRET, name="Commune A")
    await sec.say("/start")
    await sec.say("/collectivite")
    await sec.press("Autre collectivité")
    await sec.say(THIRD_SIRET)
    await sec.press("Commune")
    await sec.say("Commune C")
    await sec.say("13")
    await sec.say("1,2 k")
    await sec.press("Enregistrer")
    assert sec.transcript[-2].text.startswith("🏛 Commune C\n")
    assert memberships_of(fake_db, "s1") == [("Commune A", "admin"), ("Commune C", "admin")]


async def test_export_and_erasure_cover_every_membership(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    a = ChatDriver.for_user(svc, "m1", "Ana")
    b = ChatDriver.for_user(svc, "m2", "Bruno")
    sec = ChatDriver.for_user(svc, "s1", "Sophie Martin")
    await a.register(siret=SIRET, name="Commune A")
    await b.register(siret=OTHER_SIRET, name="Commune B", dep="60")
    await sec.say("/start " + await invite(a))
    await sec.say("/start " + await invite(b))
    await b.say("/equipe")
    await b.press("Nommer administrateur")
    await b.press("Sophie")
    await b.tap("tm:leave")
    await b.press("Oui")
    assert memberships_of(fake_db, "s1") == [("Commune A", "member"), ("Commune B", "admin")]

    await sec.say("/mesdonnees")
    await sec.press("Mes données personnelles")
    assert sec.last is not None
    (file,) = [r.attachment for r in sec.last.replies if r.attachment is not None]
    exported = json.loads(file.content.decode("utf-8"))
    assert len(exported["memberships"]) == 2
    assert sorted(c["name"] for c in exported["collectivites"]) == ["Commune A", "Commune B"]

    # The last administrator of B (B has a single member now): erasing is refused, even though
    # A — where she is a mere member — would let her go.
    await sec.say("/collectivite")
    await sec.press("Passer à")  # A active: the rule still looks at B
    await sec.say("/supprimer")
    await sec.press("Effacer mes données")
    assert "seule personne de l’équipe de Commune B" in sec.text()
    await sec.tap("pv:eok")
    assert len(memberships_of(fake_db, "s1")) == 2
    await invite_back(b, sec)
    await sec.say("/supprimer")
    await sec.press("Effacer mes données")
    await sec.press("Oui, effacer")
    assert "effacées" in sec.text()
    uid = next(u["id"] for u in fake_db.rows("users") if u["channel"] == "erased")
    assert all(m["user_id"] != uid for m in fake_db.rows("memberships"))
    assert "a quitté l’équipe de Commune A et effacé ses données" in fake_db.last_text("m1")
    assert "a quitté l’équipe de Commune B et effacé ses données" in fake_db.last_text("m2")


async def invite_back(b: ChatDriver, sec: ChatDriver) -> None:
    """Sophie invites Bruno back into B and makes him administrator: she may then leave."""
    await sec.say("/collectivite")
    await sec.press("Passer à")
    payload = await invite(sec)
    await b.say("/start " + payload)
    await sec.say("/equipe")
    await sec.press("Nommer administrateur")
    await sec.press("Bruno")
