"""The privacy notice: /confidentialite, /aide, and its English form."""

from __future__ import annotations

from datetime import timedelta

from dialogs.ports import Transaction
from dialogs.records import InvitationKind
from ecoclic.service import ChatService
from tests.dialogs.team.steps import invite
from tests.helpers.chat import ChatDriver
from tests.helpers.contract import NOW
from tests.helpers.fake_store import FakeDatabase


async def test_privacy_command_states_what_why_how_long_and_rights(svc: ChatService) -> None:
    chat = ChatDriver.for_user(svc)
    await chat.say("/confidentialite")
    text = chat.text()
    for part in (
        "Ce que je conserve",
        "Pourquoi",
        "Combien de temps",
        "24 mois",
        "/mesdonnees",
        "/supprimer",
    ):
        assert part in text, part


async def test_help_lists_the_data_commands(svc: ChatService) -> None:
    chat = ChatDriver.for_user(svc)
    await chat.say("/aide")
    assert (
        "/confidentialite" in chat.text()
        and "/mesdonnees" in chat.text()
        and "/supprimer" in chat.text()
    )


async def test_notice_in_english(svc: ChatService) -> None:
    chat = ChatDriver.for_user(svc, language="en")
    await chat.say("/privacy")
    assert "What I keep about you" in chat.text() and "24 months" in chat.text()


async def test_invitees_and_referents_are_told(svc: ChatService, fake_db: FakeDatabase) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    invitee = ChatDriver.for_user(svc, "c1", "Camille")
    await invitee.say("/start " + await invite(admin))
    assert "Bienvenue dans l’équipe" in invitee.text() and "/confidentialite" in invitee.text()

    def referent_invitation(tx: Transaction) -> None:
        opsn, _ = tx.store.opsn.save_opsn("adico", "Adico", ("60",), NOW)
        tx.store.people.create_invitation(
            token="referent-token-abcdefghij", kind=InvitationKind.REFERENT,
            collectivite_id=None, opsn_id=opsn.id, created_by=None,
            expires_at=NOW + timedelta(days=30), now=NOW,
        )  # fmt: skip

    fake_db.run(referent_invitation)
    referent = ChatDriver.for_user(svc, "r1", "Rémi")
    await referent.say("/start ref_referent-token-abcdefghij")
    assert "maintenant référent de Adico" in referent.text()
    assert "/confidentialite" in referent.text() and "24 mois" in referent.text()
    await referent.say("/start")
    assert "référent" in referent.text() and "/supprimer" in referent.text()
