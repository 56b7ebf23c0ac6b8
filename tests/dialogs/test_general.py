"""What every user has: the welcome, /aide, /langue, /annuler and /lien (the web-page link).

/lien runs on SQLite with the real web app: the signed link must open the page it names. The rest
runs on the fake store.
"""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.context import EngineConfig
from dialogs.ui import elide, fmt
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from storage.models import User
from storage.opsn import SqlOpsn
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.web import NOW
from web_summary.app import create_app
from web_summary.links import link_signer

PUBLIC = "https://ecoclic.example.fr"


def links_in(text: str) -> list[str]:
    return re.findall(re.escape(PUBLIC) + r"/[co]/\S+", text)


async def test_welcome_says_what_is_kept(chat: ChatDriver) -> None:
    await chat.say("/start")
    text = chat.text()
    assert "Éco-clic" in text and "identifiant de messagerie" in text and "24 mois" in text
    assert "/confidentialite" in text and "/mesdonnees" in text and "/supprimer" in text
    assert [b.data for b in chat.buttons()] == ["ob:go"]


async def test_member_menu(chat: ChatDriver) -> None:
    await chat.register()
    await chat.say("/start")  # mid-questionnaire: the question we were at comes back
    assert "Nous en étions à cette question" in chat.text()
    await chat.say("/annuler")
    await chat.say("/start")
    assert "Vous faites partie de l’équipe de Commune de Test" in chat.text()
    assert [b.data for b in chat.buttons()] == ["q:menu", "r:score", "p:l"]


async def test_language_switch(chat: ChatDriver) -> None:
    await chat.say("/langue")
    assert [b.data for b in chat.buttons()] == ["l:fr", "l:en"]
    await chat.press("English")
    assert "English" in chat.text()
    await chat.say("/help")
    assert "Here is what I can do" in chat.text()
    await chat.tap("l:de")  # a language we do not speak (or no longer)
    assert "no longer valid" in chat.text() or "plus valable" in chat.text()


async def test_cancel(chat: ChatDriver) -> None:
    await chat.say("/annuler")
    assert "rien à annuler" in chat.text()
    await chat.register()
    await chat.say("/annuler")
    assert "Questionnaire mis en pause" in chat.text()
    await chat.say("/annuler")
    assert "rien à annuler" in chat.text() and next(b.data for b in chat.buttons()) == "q:menu"


async def test_member_and_referent_links_open_their_pages(
    sessions: sessionmaker[Session], referential: Referential
) -> None:
    signer = link_signer(sessions, PUBLIC)
    service = ChatService(SqlDatabase(sessions), referential, EngineConfig(link_signer=signer.url))
    camille = ChatDriver.for_user(service, "camille", "Camille")
    await camille.register(name="Commune de Beauvoir")
    await camille.say("/lien")
    text = camille.text()
    assert "Page de synthèse de Commune de Beauvoir" in text and "24 heures" in text
    (page_link,) = links_in(text)
    assert [b.url for b in camille.buttons()] == [page_link]

    with sessions() as session, session.begin():
        user = session.scalar(select(User.id).where(User.external_id == "camille"))
        opsn = SqlOpsn(session)
        occitan, _ = opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
        assert user is not None
        opsn.add_referent(occitan.id, user, NOW)
    await camille.say("/lien")
    both = links_in(camille.text())
    assert len(both) == 2 and "Tableau de bord d’Opérateur Occitan" in camille.text()

    app = create_app(sessions=sessions, referential=referential, public_url=PUBLIC)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
        page = await client.get(page_link.removeprefix(PUBLIC))
        dashboard = await client.get(both[1].removeprefix(PUBLIC))
    assert page.status_code == 200 and "<h1>Commune de Beauvoir</h1>" in page.text
    assert dashboard.status_code == 200 and "Opérateur Occitan : tableau de bord" in dashboard.text


async def test_newcomer_and_installation_without_web_page(
    fake_db: FakeDatabase, referential: Referential
) -> None:
    plain = ChatService(fake_db, referential, EngineConfig())
    nobody = ChatDriver.for_user(plain, "x", "X")
    await nobody.say("/lien")
    assert "n’est pas disponible sur cette installation" in nobody.text()

    signed = ChatService(fake_db, referential, EngineConfig(link_signer=lambda *a: "http://h/c/t"))
    newcomer = ChatDriver.for_user(signed, "y", "Y")
    await newcomer.say("/lien")
    assert "inscrire votre collectivité" in newcomer.text()
    member = ChatDriver.for_user(signed, "z", "Z")
    await member.register()
    await member.say("/lien")
    assert "http://h/c/t" in member.text()
    assert not any(b.url for b in member.buttons())  # no URL button to a plain http address


async def test_help_lists_only_the_commands_one_may_use(chat: ChatDriver) -> None:
    await chat.say("/aide")
    text = chat.text()
    assert "/start" in text and "/questionnaire" not in text
    assert "/collectivites" not in text and "/admin" not in text
    await chat.register("21310555400017")
    await chat.say("/aide")
    text = chat.text()
    assert "/questionnaire" in text and "/plan" in text and "/equipe" in text
    assert "/collectivites" not in text and "/admin" not in text
    assert chat.buttons()  # the next useful step, not a dead end


async def test_bonjour_when_idle_greets_with_the_menu(chat: ChatDriver) -> None:
    await chat.say("Bonjour !")
    assert "Je suis Éco-clic" in chat.text()
    await chat.register("21310555400017")
    await chat.say("/annuler")
    await chat.say("salut")
    assert "Vous faites partie de l’équipe" in chat.text()


def test_french_elision_before_inserted_names() -> None:
    assert fmt("Demande de {person}", person="Ève") == "Demande d’Ève"
    assert fmt("référent de {opsn}", opsn="ADICO") == "référent d’ADICO"
    assert fmt("l’équipe de {name}", name="Beauvoir") == "l’équipe de Beauvoir"
    assert elide("parce que Alice") == "parce qu’Alice"
    assert elide("de une à trois") == "de une à trois"  # fixed texts (lower case) stay as written
