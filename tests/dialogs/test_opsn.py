"""OPSN attachment through the real service: requests, referent decisions, ending, refusals, level 2."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.models import Attachment, Collectivite, Referent, User
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import button, inbox, last_text

SIRET = "21310555400017"
OTHER_SIRET = "21600057000012"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def svc(sessions: object, referential: Referential) -> ChatService:
    config = EngineConfig(bot_username="ecoclic_test_bot", platform_admins=frozenset({"root"}))
    return ChatService(sessions, referential, config, lambda: NOW)  # type: ignore[arg-type]


def last_payload(driver: ChatDriver) -> str:
    texts = "\n".join(r.text for r in driver.transcript)
    return re.findall(r"\?start=([A-Za-z0-9_-]+)", texts)[-1]


async def add_opsn(root: ChatDriver, line: str) -> None:
    await root.say("/admin")
    await root.press("Ajouter un OPSN")
    await root.say(line)
    assert "OPSN enregistré" in root.text(), root.text()


async def make_referent(root: ChatDriver, person: ChatDriver, opsn_name: str) -> None:
    await root.say("/admin")
    await root.press("Inviter un référent")
    await root.press(opsn_name)
    await person.say(f"/start {last_payload(root)}")
    assert f"Vous êtes maintenant référent de {opsn_name}" in person.text()


async def level2(sessions: object) -> dict[str, bool]:
    async with sessions() as session:  # type: ignore[operator]
        rows = await session.execute(select(Collectivite.name, Collectivite.level2_enabled))
        return dict(rows.all())


@pytest.fixture
async def world(svc: ChatService) -> dict[str, ChatDriver]:
    """Platform admin, two OPSN (one serving 31), their referents, a commune of the 31 with an élu."""
    people = {
        key: ChatDriver.for_user(svc, key, name)
        for key, name in [
            ("root", "Déclic"),
            ("admin", "Camille"),
            ("elu", "Dominique"),
            ("ref", "Romane"),
            ("ref2", "Sacha"),
            ("far", "Lou"),
        ]
    }
    await add_opsn(people["root"], "Opérateur Occitan ; occitan ; 31, 09")
    await add_opsn(people["root"], "Opérateur Lointain ; lointain ; 60")
    await make_referent(people["root"], people["ref"], "Opérateur Occitan")
    await make_referent(people["root"], people["ref2"], "Opérateur Occitan")
    await make_referent(people["root"], people["far"], "Opérateur Lointain")
    await people["admin"].register(siret=SIRET, name="Commune de Beauvoir", dep="31")
    await people["admin"].say("/equipe")
    await people["admin"].press("Inviter")
    await people["elu"].say(f"/start {last_payload(people['admin'])}")
    return people


async def request_attachment(admin: ChatDriver, opsn_name: str = "Opérateur Occitan") -> None:
    await admin.say("/rattachement")
    await admin.press(opsn_name)
    await admin.press("Envoyer la demande")
    assert f"Demande envoyée à {opsn_name}" in admin.text()


async def test_request_accept_informs_both_sides_and_unlocks_level2(
    world: dict[str, ChatDriver], sessions: object
) -> None:
    admin, elu, ref, ref2 = world["admin"], world["elu"], world["ref"], world["ref2"]
    await admin.say("/rattachement")
    assert "OPSN qui desservent le département 31" in admin.text()
    assert [b.label for b in admin.buttons()] == ["Opérateur Occitan", "Voir tous les OPSN (2)"]
    await admin.press("Voir tous")
    assert [b.label for b in admin.buttons()] == ["Opérateur Occitan", "Opérateur Lointain"]
    await admin.press("Opérateur Occitan")
    await admin.press("Envoyer la demande")

    notice = (await inbox(sessions, "ref"))[-1]
    assert "Nouvelle demande de rattachement à Opérateur Occitan" in notice.text
    assert "Commune de Beauvoir" in notice.text
    assert "Commune · département 31 · 1\u202f200 habitants" in notice.text
    assert "Demande envoyée par Camille" in notice.text
    assert (await inbox(sessions, "ref2"))[-1].text == notice.text
    assert await inbox(sessions, "far") == []

    await ref.tap(button(notice, "Accepter"))
    assert "✅ Opérateur Occitan accompagne désormais Commune de Beauvoir" in ref.text()
    for person in ("admin", "elu"):
        assert "a accepté d’accompagner Commune de Beauvoir" in await last_text(sessions, person)
    assert await level2(sessions) == {"Commune de Beauvoir": True}
    await elu.say("/niveau2")
    assert "Le niveau 2 est débloqué" in elu.text()

    await ref2.tap(button((await inbox(sessions, "ref2"))[-1], "Accepter"))
    assert "déjà été acceptée par Romane" in ref2.text()
    await ref2.tap(button((await inbox(sessions, "ref2"))[-1], "Refuser"))
    assert "déjà été acceptée par Romane" in ref2.text()
    assert len(await inbox(sessions, "elu")) == 1  # the élu was told once

    await ref2.say("/collectivites")
    listing = ref2.text()
    assert "Collectivités accompagnées par Opérateur Occitan (1)" in listing
    assert "Commune de Beauvoir (31) — pas encore commencé" in listing
    assert "dernière activité le 23 novembre 2026" in listing

    await admin.say("/rattachement")
    assert "accompagnée par Opérateur Occitan" in admin.text()
    await admin.tap("at:send:2")  # a second OPSN while attached: no
    assert "accompagnée par Opérateur Occitan" in admin.text()
    async with sessions() as session:  # type: ignore[operator]
        assert len(list(await session.scalars(select(Attachment)))) == 1


async def test_profile_shows_index_and_progress(
    world: dict[str, ChatDriver], sessions: object, referential: Referential
) -> None:
    admin = world["admin"]
    first = referential.level_questions(1)[0]
    await admin.say("/questionnaire")
    await admin.tap(
        f"a:{first.id}:oui" if not first.options else f"a:{first.id}:{first.options[-1].id}"
    )
    await request_attachment(admin)
    text = (await inbox(sessions, "ref"))[-1].text
    assert re.search(r"Indice \d+/100, lettre [A-E] · questionnaire rempli à \d+\s%", text), text


async def test_refusal_then_another_request(world: dict[str, ChatDriver], sessions: object) -> None:
    admin, ref, far = world["admin"], world["ref"], world["far"]
    await request_attachment(admin)
    await ref.tap(button((await inbox(sessions, "ref"))[-1], "Refuser"))
    assert "Demande de Commune de Beauvoir refusée" in ref.text()
    assert "n’a pas accepté la demande" in await last_text(sessions, "elu")
    assert await level2(sessions) == {"Commune de Beauvoir": False}
    await world["elu"].say("/niveau2")
    assert "se débloque quand un OPSN accepte" in world["elu"].text()
    await admin.say("/rattachement")
    await admin.press("Voir tous")
    await admin.press("Opérateur Lointain")
    await admin.press("Envoyer la demande")
    await far.tap(button((await inbox(sessions, "far"))[-1], "Accepter"))
    assert await level2(sessions) == {"Commune de Beauvoir": True}


async def test_withdraw_and_end_from_both_sides(
    world: dict[str, ChatDriver], sessions: object
) -> None:
    admin, ref = world["admin"], world["ref"]
    await request_attachment(admin)
    await admin.press("Retirer la demande")
    assert "Demande retirée" in admin.text()
    assert "a retiré sa demande" in await last_text(sessions, "ref")
    stale = (await inbox(sessions, "ref"))[0]
    await ref.tap(button(stale, "Accepter"))
    assert "Commune de Beauvoir a retiré cette demande" in ref.text()
    assert await level2(sessions) == {"Commune de Beauvoir": False}

    await request_attachment(admin)
    await ref.tap(button((await inbox(sessions, "ref"))[-1], "Accepter"))
    await ref.say("/collectivites")
    await ref.press("Mettre fin à un suivi")
    await ref.press("Commune de Beauvoir")
    await ref.press("Oui, mettre fin")
    assert "est terminé" in ref.text()
    assert "Opérateur Occitan a mis fin" in await last_text(sessions, "elu")
    assert "Opérateur Occitan a mis fin" in await last_text(sessions, "ref2")
    assert await level2(sessions) == {"Commune de Beauvoir": False}

    await request_attachment(admin)
    await ref.tap(button((await inbox(sessions, "ref"))[-1], "Accepter"))
    await admin.say("/rattachement")
    await admin.press("Mettre fin")
    await admin.press("Oui, mettre fin")
    assert "Commune de Beauvoir a mis fin" in await last_text(sessions, "ref")
    assert "Commune de Beauvoir a mis fin" in await last_text(sessions, "elu")
    await ref.say("/collectivites")
    assert "n’accompagne encore aucune collectivité" in ref.text()


async def test_forbidden_actions_are_refused(
    world: dict[str, ChatDriver], sessions: object
) -> None:
    admin, elu, ref, far = world["admin"], world["elu"], world["ref"], world["far"]
    await elu.say("/rattachement")
    assert "Seuls ses administrateurs peuvent demander" in elu.text()
    for data in ("at:all", "at:rq:1", "at:send:1"):
        await elu.tap(data)
        assert "Seuls les administrateurs de Commune de Beauvoir" in elu.text(), data

    await request_attachment(admin)
    notice = (await inbox(sessions, "ref"))[-1]
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
    assert await level2(sessions) == {"Commune de Beauvoir": True}


async def test_referent_link_single_use_and_pending_shown(
    svc: ChatService, sessions: object
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
    assert "Noa est maintenant référent" in await last_text(sessions, "root")
    await other.say(f"/start {payload}")
    assert "déjà servi ou a expiré" in other.text()
    await late.press("Accepter")
    assert await level2(sessions) == {"Commune de Beauvoir": True}
    async with sessions() as session:  # type: ignore[operator]
        assert len(list(await session.scalars(select(Referent)))) == 1


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


async def test_concurrent_requests_and_decisions_leave_one_outcome(
    db_url: str, referential: Referential
) -> None:
    """Two administrators ask two OPSN at the same instant; two referents accept at once."""
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    try:
        config = EngineConfig(bot_username="ecoclic_test_bot", platform_admins=frozenset({"root"}))
        svc = ChatService(sessions, referential, config, lambda: NOW)
        root, admin, second = (
            ChatDriver.for_user(svc, k, n)
            for k, n in [("root", "Déclic"), ("admin", "Camille"), ("second", "Dominique")]
        )
        ref, ref2 = (
            ChatDriver.for_user(svc, "ref", "Romane"),
            ChatDriver.for_user(svc, "ref2", "Sacha"),
        )
        await add_opsn(root, "Opérateur Occitan ; occitan ; 31")
        await add_opsn(root, "Opérateur Voisin ; voisin ; 31")
        await make_referent(root, ref, "Opérateur Occitan")
        await make_referent(root, ref2, "Opérateur Occitan")
        await make_referent(root, ref, "Opérateur Voisin")
        await make_referent(root, ref2, "Opérateur Voisin")
        await admin.register(siret=SIRET, name="Commune de Beauvoir", dep="31")
        await admin.say("/equipe")
        await admin.press("Inviter")
        await second.say(f"/start {last_payload(admin)}")
        await admin.tap("tm:adm:" + str(await user_id(sessions, "second")))

        await asyncio.gather(admin.tap("at:send:1"), second.tap("at:send:2"))
        async with sessions() as session:
            rows = list(await session.scalars(select(Attachment)))
        assert len(rows) == 1 and rows[0].status == "pending"

        notice = (await inbox(sessions, "ref"))[-1]
        await asyncio.gather(
            ref.tap(button(notice, "Accepter")), ref2.tap(button(notice, "Accepter"))
        )
        texts = ref.text() + ref2.text()
        assert texts.count("accompagne désormais") == 1 and "déjà été acceptée" in texts
        for person in ("admin", "second"):
            decisions = [
                r for r in await inbox(sessions, person) if "a accepté d’accompagner" in r.text
            ]
            assert len(decisions) == 1
    finally:
        await engine.dispose()


async def user_id(sessions: object, external_id: str) -> int:
    async with sessions() as session:  # type: ignore[operator]
        found = await session.scalar(select(User.id).where(User.external_id == external_id))
        assert found is not None
        return int(found)


async def test_referent_is_greeted_as_referent(world: dict[str, ChatDriver]) -> None:
    await world["ref"].say("/start")
    assert "référent" in world["ref"].text() and "/collectivites" in world["ref"].text()
    await world["ref"].say("/aide")
    assert "/collectivites" in world["ref"].text()
