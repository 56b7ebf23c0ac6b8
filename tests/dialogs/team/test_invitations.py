"""/equipe lists pending invitations (who created them, until when) and an administrator revokes one."""

from __future__ import annotations

from datetime import timedelta

from ecoclic.service import ChatService
from tests.dialogs.team.steps import Clock, invite
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase


async def test_pending_invitations_are_listed_and_revoked(
    svc: ChatService, fake_db: FakeDatabase, clock: Clock
) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    first = await invite(admin)
    clock.now += timedelta(days=2)
    await invite(admin)
    await admin.say("/equipe")
    text = admin.text()
    assert "Invitations en attente :" in text
    assert "1. créée par vous, valable jusqu’au 30 novembre 2026" in text
    assert "2. créée par vous, valable jusqu’au 2 décembre 2026" in text
    labels = [b.label for b in admin.buttons()]
    assert "Révoquer l’invitation 1" in labels and "Révoquer l’invitation 2" in labels
    await admin.press("Révoquer l’invitation 1")
    assert "Invitation révoquée" in admin.text()
    await admin.say("/equipe")
    assert "1. créée par vous, valable jusqu’au 2 décembre 2026" in admin.text()
    # The revoked link no longer works.
    late = ChatDriver.for_user(svc, "l1", "Léa")
    await late.say("/start " + first)
    assert "déjà servi ou a expiré" in late.text()
    assert len(fake_db.rows("memberships")) == 1


async def test_members_see_the_list_without_revoking(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille")
    await camille.say("/start " + await invite(admin))
    await invite(admin)
    await camille.say("/equipe")
    assert "1. créée par Alix" in camille.text()
    assert not any("Révoquer" in b.label for b in camille.buttons())
    await camille.tap("tm:ir:2")
    assert "Seuls les administrateurs" in camille.text()


async def test_revoking_a_used_or_foreign_invitation_is_refused(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille")
    await camille.say("/start " + await invite(admin))
    await admin.tap("tm:ir:1")  # used by Camille
    assert "n’est plus en attente" in admin.text()
    other = ChatDriver.for_user(svc, "o1", "Olga")
    await other.register("21600057000012", name="Autre commune")
    await invite(admin)
    await other.tap("tm:ir:2")  # Alix's collectivité's invitation
    assert "autre collectivité" in other.text()
    await admin.say("/equipe")
    assert "Révoquer l’invitation 1" in [b.label for b in admin.buttons()]


async def test_an_erased_creator_is_a_former_member(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille")
    await camille.say("/start " + await invite(admin))
    await admin.say("/equipe")
    await admin.press("Nommer administrateur")
    await admin.press("Camille")
    await invite(admin)
    await admin.say("/supprimer")
    await admin.press("Effacer mes données")
    await admin.press("Oui, effacer")
    await camille.say("/equipe")
    assert "1. créée par un ancien membre" in camille.text()
