"""Platform administration in chat (/admin) and the referent link."""

from __future__ import annotations

from ecoclic.service import ChatService
from tests.dialogs.opsn.steps import SIRET, add_opsn, last_payload, level2, request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase


async def test_referent_link_single_use_and_pending_shown(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    root = ChatDriver.for_user(svc, "root", "Déclic")
    admin = ChatDriver.for_user(svc, "admin", "Camille")
    late = ChatDriver.for_user(svc, "late", "Noa")
    other = ChatDriver.for_user(svc, "other", "Ilan")
    await add_opsn(root, "Opérateur Occitan ; occitan ; 31")
    await admin.register(siret=SIRET, name="Commune de Beauvoir", dep="31")
    await request_attachment(admin)
    assert "pas encore de référent" in admin.text()
    await root.say("/admin")
    await root.press("Inviter un référent")
    await root.press("Opérateur Occitan")
    payload = last_payload(root)
    assert payload.startswith("ref_") and len(payload) <= 64
    await late.say(f"/start {payload}")
    assert "Demande de rattachement en attente" in late.text()
    assert [b.label for b in late.buttons()] == ["Accepter", "Refuser"]
    assert "Noa est maintenant référent" in fake_db.last_text("root")
    await other.say(f"/start {payload}")
    assert "déjà servi ou a expiré" in other.text()
    await late.press("Accepter")
    assert level2(fake_db) == {"Commune de Beauvoir": True}
    assert fake_db.count("referents") == 1


async def test_platform_admin_validates_opsn_entries(svc: ChatService) -> None:
    root = ChatDriver.for_user(svc, "root", "Déclic")
    await root.say("/admin")
    await root.press("Ajouter un OPSN")
    await root.say("Sans départements")
    assert "trois parties" in root.text()
    await root.say("Nom ; Pas Un Slug ; 60")
    assert "minuscules" in root.text()
    await root.say("Nom ; nom ; 60, 99")
    assert "départements est inconnu" in root.text()
    await root.say("Opérateur ; op ; 60 02 2a")
    assert "Opérateur (op) — 60, 02, 2A" in root.text()
    await root.say("/admin")
    await root.press("Ajouter un OPSN")
    await root.say("Autre ; op ; ")
    assert "déjà pris" in root.text()
    await root.say("/annuler")
    await root.say("/admin")
    await root.press("Liste des OPSN")
    assert root.text() == "• Opérateur (op) — 60, 02, 2A"


async def test_referent_is_greeted_as_referent(world: dict[str, ChatDriver]) -> None:
    await world["ref"].say("/start")
    assert "référent" in world["ref"].text() and "/collectivites" in world["ref"].text()
    await world["ref"].say("/aide")
    assert "/collectivites" in world["ref"].text()


async def test_platform_buttons_keep_their_wire_format_and_refuse_forged_data(
    svc: ChatService,
) -> None:
    root = ChatDriver.for_user(svc, "root", "Déclic")
    await add_opsn(root, "Opérateur Occitan ; occitan ; 31")
    await root.say("/admin")
    assert [b.data for b in root.buttons()] == ["pa:list", "pa:add", "pa:ref"]
    await root.press("Inviter un référent")
    assert [b.data for b in root.buttons()] == ["pa:ref:1"]
    for data in (
        "pa:ref:²",
        "pa:ref:2147483648",
        "pa:ref:9223372036854775808",
        "pa:list:1",
        "pa:zz",
        "pa",
    ):
        await root.tap(data)
        assert "Ce bouton n’est plus valable" in root.text(), data
    await root.tap("pa:ref:999")
    assert "Cet OPSN n’existe plus" in root.text()


async def test_outcomes_say_who_gets_the_staff_menu(world: dict[str, ChatDriver]) -> None:
    """Issue 17: commands and /start tell the channel whether /collectivites and /admin belong in
    the speaker's menu; other events do not look (None)."""
    for key, staff in (("root", True), ("ref", True), ("elu", False), ("admin", False)):
        assert (await world[key].say("/aide")).staff is staff, key
        assert (await world[key].say("/start")).staff is staff, key
    assert (await world["ref"].say("bonjour")).staff is None
