"""/supprimer: erasing oneself (confirmed, last-admin rule) and deleting a collectivité (its name
typed; members and OPSN referents told), through the engine on the fake store."""

from __future__ import annotations

from dialogs.events import Sender
from dialogs.ports import Transaction
from ecoclic.service import ChatService
from tests.dialogs.team.steps import OTHER_SIRET, invite
from tests.helpers.chat import ChatDriver
from tests.helpers.contract import NOW
from tests.helpers.fake_store import FakeDatabase


async def team(svc: ChatService) -> tuple[ChatDriver, ChatDriver]:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille Martin")
    await camille.say("/start " + await invite(admin))
    return admin, camille


async def test_a_member_erases_their_data(svc: ChatService, fake_db: FakeDatabase) -> None:
    _admin, camille = await team(svc)
    uid = fake_db.user_id("c1")
    await camille.say("/supprimer")
    assert [b.label for b in camille.buttons()] == ["Effacer mes données", "Annuler"]
    await camille.press("Effacer mes données")
    assert "définitivement" in camille.text()
    await camille.press("Oui, effacer")
    assert "vos données personnelles sont effacées" in camille.text()
    user = next(u for u in fake_db.rows("users") if u["id"] == uid)
    assert (user["channel"], user["display_name"], user["chat_id"]) == ("erased", "", "")
    assert all(m["user_id"] != uid for m in fake_db.rows("memberships"))
    assert "a quitté l’équipe de Commune de Test et effacé ses données" in fake_db.last_text("a1")
    # Writing again: a new person, welcomed as a stranger.
    await camille.say("/start")
    assert "Inscrire ma collectivité" in [b.label for b in camille.buttons()]
    assert fake_db.user_id("c1") != uid


async def test_the_last_admin_must_name_another_first(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    admin, _camille = await team(svc)
    await admin.say("/supprimer")
    await admin.press("Effacer mes données")
    assert "seul administrateur" in admin.text() and "Nommer administrateur" in admin.text()
    await admin.tap("pv:eok")  # the confirm button, pressed anyway (stale or forged)
    assert "seul administrateur" in admin.text()
    assert fake_db.user_id("a1")  # still there, with its name
    await admin.say("/equipe")
    await admin.press("Nommer administrateur")
    await admin.press("Camille")
    await admin.say("/supprimer")
    await admin.press("Effacer mes données")
    await admin.press("Oui, effacer")
    assert "effacées" in admin.text()
    assert [m["role"] for m in fake_db.rows("memberships")] == ["admin"]


async def test_alone_in_the_team_delete_the_collectivite_first(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    await admin.say("/supprimer")
    await admin.press("Effacer mes données")
    assert "seule personne de l’équipe" in admin.text()


async def test_cancel_keeps_everything(svc: ChatService, fake_db: FakeDatabase) -> None:
    _admin, camille = await team(svc)
    await camille.say("/supprimer")
    await camille.press("Effacer mes données")
    await camille.press("Non")
    assert "rien n’a été supprimé" in camille.text()
    assert len(fake_db.rows("memberships")) == 2


def _attach_to_an_opsn(fake_db: FakeDatabase) -> None:
    """Alix's collectivité asks an OPSN with a referent ("r1") to support it."""

    def work(tx: Transaction) -> None:
        opsn, _ = tx.store.opsn.save_opsn("adico", "Adico", ("31",), NOW)
        referent = tx.user_for(Sender("test", "r1", "r1", "Rémi"), NOW)
        tx.store.opsn.add_referent(opsn.id, referent.id, NOW)
        admin = tx.user_for(Sender("test", "a1", "a1", "Alix"), NOW)
        member = tx.store.people.membership(admin.id)
        assert member is not None
        tx.store.opsn.request_attachment(member.collectivite.id, opsn.id, admin.id, NOW)

    fake_db.run(work)


async def test_an_admin_deletes_the_collectivite_after_typing_its_name(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    admin, camille = await team(svc)
    _attach_to_an_opsn(fake_db)
    await admin.say("/supprimer")
    await admin.press("Supprimer toute la collectivité")
    assert "tapez le nom exact" in admin.text()
    await admin.say("Commune de Tset")
    assert "rien n’a été supprimé" in admin.text()
    assert len(fake_db.rows("collectivites")) == 1
    await admin.say("commune de test")  # the name typed again: nothing, the flow ended
    assert len(fake_db.rows("collectivites")) == 1
    await admin.say("/supprimer")
    await admin.press("Supprimer toute la collectivité")
    await admin.say("  COMMUNE  de   Test ")
    assert "est supprimée d’Éco-clic" in admin.text()
    for table in ("collectivites", "memberships", "invitations", "attachments", "answers"):
        assert fake_db.rows(table) == [], table
    told = "a été supprimée d’Éco-clic par l’un de ses administrateurs"
    assert told in fake_db.last_text("c1") and told in fake_db.last_text("r1")
    assert [r.key for r in fake_db.outbox("collectivite-deleted")] == [
        f"collectivite-deleted:1:{fake_db.user_id('c1')}",
        f"collectivite-deleted:1:{fake_db.user_id('r1')}",
    ]
    await camille.say("/plan")
    assert "inscrire votre collectivité" in camille.text()


async def test_deleting_is_for_the_collectivites_own_admins(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    _admin, camille = await team(svc)
    await camille.tap("pv:dc:1")
    assert "Seuls les administrateurs" in camille.text()
    other = ChatDriver.for_user(svc, "o1", "Olga")
    await other.register(OTHER_SIRET, name="Autre commune")
    await other.tap("pv:dc:1")
    assert "autre collectivité" in other.text()
    await other.say("Commune de Test")  # not in the deleting flow: just text
    assert len(fake_db.rows("collectivites")) == 2
