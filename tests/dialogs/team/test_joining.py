"""Joining a team on the fake store: invitation links, join requests and their decisions."""

from __future__ import annotations

import re
from datetime import timedelta

from ecoclic.service import ChatService
from tests.dialogs.team.steps import (
    OTHER_SIRET,
    SIRET,
    Clock,
    ask_to_join,
    invite,
    roles,
)
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button


async def test_invitation_link_is_single_use_and_joins_the_team(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elu = ChatDriver.for_user(svc, "u2", "Dominique")
    other = ChatDriver.for_user(svc, "u3", "Eli")
    await admin.register(siret=SIRET, name="Commune de Beauvoir")
    payload = await invite(admin)
    assert payload.startswith("inv_") and len(payload) <= 64
    assert len(payload) - 4 >= 32  # 24 random bytes, base64url: 192 bits
    assert "ne sert qu’une fois" in "\n".join(r.text for r in admin.transcript)

    await elu.say(f"/start {payload}")
    assert "Bienvenue dans l’équipe de Commune de Beauvoir" in elu.text()
    await elu.press("élu")
    assert "« Élu·e »" in elu.text()
    assert "Dominique a rejoint l’équipe" in fake_db.last_text("u1")

    await other.say(f"/start {payload}")
    assert "déjà servi ou a expiré" in other.text()
    await elu.say(f"/start {payload}")
    assert "déjà partie de l’équipe" in elu.text()

    await admin.say("/equipe")
    listing = admin.text()
    assert "(2 personnes)" in listing
    assert "Camille — fonction non précisée · administrateur·rice (vous)" in listing
    assert "Dominique — Élu·e" in listing
    assert roles(fake_db) == {"u1": "admin", "u2": "member"}


async def test_invitation_expires_after_seven_days(
    svc: ChatService, fake_db: FakeDatabase, clock: Clock
) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    late = ChatDriver.for_user(svc, "u2", "Dominique")
    await admin.register(siret=SIRET)
    payload = await invite(admin)
    clock.now += timedelta(days=7, minutes=1)
    await late.say(f"/start {payload}")
    assert "déjà servi ou a expiré" in late.text()
    assert roles(fake_db) == {"u1": "admin"}


async def test_wrong_payloads_are_rate_limited(svc: ChatService, clock: Clock) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    guesser = ChatDriver.for_user(svc, "u9", "Mallory")
    await admin.register(siret=SIRET)
    payload = await invite(admin)
    for attempt in range(5):
        await guesser.say(f"/start inv_{'A' * 31}{attempt}")
        assert "n’est pas valable" in guesser.text()
    await guesser.say(f"/start {payload}")  # even the right one: blocked for a while
    assert "Trop de liens non valables" in guesser.text()
    clock.now += timedelta(minutes=16)
    await guesser.say(f"/start {payload}")
    assert "Bienvenue dans l’équipe" in guesser.text()


async def test_issue16_member_of_another_collectivite_joins_with_an_invitation(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    """A secrétaire de mairie of Commune B joins Commune A too: B is kept, A becomes active, and
    a second invitation to A is refused politely."""
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    elsewhere = ChatDriver.for_user(svc, "u2", "Dominique")
    await admin.register(siret=SIRET, name="Commune A")
    await elsewhere.register(siret=OTHER_SIRET, name="Commune B")
    await elsewhere.say(f"/start {await invite(admin)}")
    assert elsewhere.text().startswith("🏛 Commune A\nBienvenue dans l’équipe de Commune A")
    people = {u["id"]: u["external_id"] for u in fake_db.rows("users")}
    mine = sorted(
        (m["collectivite_id"], m["role"])
        for m in fake_db.rows("memberships")
        if people[m["user_id"]] == "u2"
    )
    assert mine == [(1, "member"), (2, "admin")]
    payload = await invite(admin)
    await elsewhere.say(f"/start {payload}")
    assert "déjà partie de l’équipe de Commune A" in elsewhere.text()
    assert fake_db.count("memberships") == 3
    await admin.say("/equipe")
    assert "🏛" not in admin.text()  # one collectivité: no header


async def test_join_request_accept_notifies_and_second_admin_sees_who_decided(
    svc: ChatService, fake_db: FakeDatabase
) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    second = ChatDriver.for_user(svc, "u2", "Dominique")
    newcomer = ChatDriver.for_user(svc, "u3", "Eli")
    await admin.register(siret=SIRET, name="Commune A")
    await second.say(f"/start {await invite(admin)}")
    await admin.say("/equipe")
    await admin.press("Nommer administrateur")
    await admin.press("Dominique")
    assert "Dominique est maintenant administrateur" in admin.text()
    assert "vous a nommé·e administrateur" in fake_db.last_text("u2")

    await ask_to_join(newcomer)
    request_for_admin = fake_db.inbox("u1")[-1]
    request_for_second = fake_db.inbox("u2")[-1]
    assert "Eli demande à rejoindre" in request_for_admin.text

    await admin.tap(button(request_for_admin, "Accepter"))
    assert "✅ Eli fait maintenant partie de l’équipe" in admin.text()
    assert admin.last is not None and admin.last.replies[0].edit
    notice = fake_db.inbox("u3")[-1]
    assert "Camille a accepté votre demande" in notice.text
    assert button(notice, "fonction") == "tm:f"

    await second.tap(button(request_for_second, "Accepter"))
    assert "déjà été acceptée par Camille" in second.text()
    await second.tap(button(request_for_second, "Refuser"))
    assert "déjà été acceptée par Camille" in second.text()
    await admin.tap(button(request_for_admin, "Accepter"))
    assert "déjà été acceptée par vous" in admin.text()
    assert roles(fake_db)["u3"] == "member"
    assert len(fake_db.inbox("u3")) == 1  # informed once


async def test_join_request_refused(svc: ChatService, fake_db: FakeDatabase) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    newcomer = ChatDriver.for_user(svc, "u3", "Eli")
    await admin.register(siret=SIRET, name="Commune A")
    await ask_to_join(newcomer)
    request = fake_db.inbox("u1")[-1]
    await admin.tap(button(request, "Refuser"))
    assert "Demande d’Eli refusée" in admin.text()  # elided before a vowel
    assert "n’a pas été acceptée" in fake_db.last_text("u3")
    assert "u3" not in roles(fake_db)
    assert [r["status"] for r in fake_db.rows("join_requests")] == ["refused"]


async def test_tokens_are_random_and_stored_once(svc: ChatService, fake_db: FakeDatabase) -> None:
    admin = ChatDriver.for_user(svc, "u1", "Camille")
    await admin.register(siret=SIRET)
    payloads = {await invite(admin) for _ in range(5)}
    assert len(payloads) == 5
    tokens = [r["token"] for r in fake_db.rows("invitations")]
    assert {f"inv_{t}" for t in tokens} == payloads
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)
