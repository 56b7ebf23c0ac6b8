"""Three people through Telegram (fake Bot API, both adapters), notifications via the outbox dispatcher:
a collectivité administrator, the élu she invites, and the referent of the OPSN of her département.
Invitation and join; attachment request → referent notified → accepted → both sides told → level 2;
stale and duplicate presses; refusals for the wrong role; ending the attachment; a refusal."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.dispatcher import OutboxDispatcher
from dialogs.records import InvitationKind
from dialogs.team.people import new_token
from storage.models import Collectivite
from storage.store import SqlStore
from tests.bot.telegram.conftest import RunningBot
from tests.helpers.fake_bot_api import BotMessage
from tests.helpers.telegram_driver import TelegramUser

ADMIN, ELU, REFERENT = 301, 302, 303


@pytest.fixture
async def dispatcher(polling_bot: RunningBot, sessions: Any) -> AsyncIterator[None]:
    """The outbox dispatcher of `ecoclic serve`, on the bot's own delivery (shared flood control)."""
    stop = asyncio.Event()
    outbox = OutboxDispatcher(sessions, polling_bot.runtime.delivery, poll_interval=0.05)
    task = asyncio.create_task(outbox.run_forever(stop))
    yield
    stop.set()
    await task
    assert outbox.stats.undeliverable == 0 and outbox.stats.lost_leases == 0


def referent_link(sessions: Any) -> str:
    """What `ecoclic admin opsn add` + `ecoclic admin referent invite` leave in the database."""
    now = datetime.now(UTC)
    token = new_token()
    with sessions() as session, session.begin():
        store = SqlStore(session)
        opsn, _ = store.opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), now)
        store.people.create_invitation(
            token=token,
            kind=InvitationKind.REFERENT,
            collectivite_id=None,
            opsn_id=opsn.id,
            created_by=None,
            expires_at=now + timedelta(days=7),
            now=now,
        )
    return f"ref_{token}"


def payload_in(messages: list[BotMessage]) -> str:
    found = re.findall(r"\?start=([A-Za-z0-9_-]+)", "\n".join(m.text for m in messages))
    assert found, [m.text for m in messages]
    return found[-1]


async def notified(user: TelegramUser, text: str, timeout: float = 10.0) -> BotMessage:
    """Wait for a bot message (delivered by the dispatcher) containing `text`."""
    return await user.fake.wait_for(
        lambda: next((m for m in reversed(user.messages()) if text in m.text), None), timeout
    )


def seen(user: TelegramUser, new: list[BotMessage]) -> str:
    """What the person sees after an action: the new messages, or the message edited in place."""
    return user.texts(new) if new else user.messages()[-1].text


def count(user: TelegramUser, text: str) -> int:
    return sum(text in m.text for m in user.messages())


def level2(sessions: Any) -> bool:
    with sessions() as session:
        return bool(session.scalar(select(Collectivite.level2_enabled)))


async def test_team_and_opsn_attachment_through_telegram(
    polling_bot: RunningBot, dispatcher: None, sessions: Any
) -> None:
    admin = polling_bot.user(ADMIN, name="Camille")
    elu = polling_bot.user(ELU, name="Dominique")
    referent = polling_bot.user(REFERENT, name="Romane")

    # The referent joins through the one-time link of the platform administrator.
    link = referent_link(sessions)
    assert "Vous êtes maintenant référent de Opérateur Occitan" in seen(
        referent, await referent.say(f"/start {link}")
    )

    # Camille registers her commune and invites Dominique, who joins with the link.
    await admin.register(name="Commune de Beauvoir")
    await admin.say("/equipe")
    invitation = payload_in(await admin.tap("Inviter une personne"))
    assert invitation.startswith("inv_") and len(invitation) <= 64
    joined = seen(elu, await elu.say(f"/start {invitation}"))
    assert "Bienvenue dans l’équipe de Commune de Beauvoir" in joined
    await elu.tap("Élu·e")  # the question is edited into the answer
    assert "« Élu·e »" in elu.messages()[-1].text and elu.messages()[-1].edited
    await notified(admin, "Dominique a rejoint l’équipe de Commune de Beauvoir")
    intruder = polling_bot.user(304, name="Mallory")
    assert "déjà servi ou a expiré" in seen(intruder, await intruder.say(f"/start {invitation}"))

    # Wrong roles are refused, clearly.
    assert "Seuls ses administrateurs" in seen(elu, await elu.say("/rattachement"))
    assert "réservée aux référents" in seen(elu, await elu.say("/collectivites"))
    assert "réservée aux référents" in seen(admin, await admin.say("/collectivites"))
    assert "déjà servi" in seen(elu, await elu.say(f"/start {link}"))
    assert "Seuls les administrateurs de Commune de Beauvoir" in seen(
        elu, await elu.tap_data(elu.messages()[-1].message_id, "tm:inv")
    )

    # Attachment request → the referent is notified with the profile and two buttons.
    await admin.say("/rattachement")
    await admin.tap("Opérateur Occitan")
    assert "Demande envoyée à Opérateur Occitan" in seen(
        admin, await admin.tap("Envoyer la demande")
    )
    request = await notified(referent, "Nouvelle demande de rattachement à Opérateur Occitan")
    assert "Commune de Beauvoir" in request.text and "département 31" in request.text
    assert [label for row in request.buttons for label, _ in row] == ["Accepter", "Refuser"]
    accept = next(data for row in request.buttons for label, data in row if label == "Accepter")

    # The élu cannot answer for the OPSN, even with the right button data.
    await elu.say("/aide")
    assert "réservée aux référents de l’OPSN concerné" in seen(
        elu, await elu.tap_data(elu.messages()[-1].message_id, accept)
    )

    # Accepted: both sides are told, level 2 is unlocked, the OPSN follows the commune.
    assert "✅ Opérateur Occitan accompagne désormais" in seen(
        referent, await referent.tap_data(request.message_id, accept)
    )
    await notified(admin, "a accepté d’accompagner Commune de Beauvoir")
    await notified(elu, "a accepté d’accompagner Commune de Beauvoir")
    assert level2(sessions)
    assert "Niveau 2 — Commune de Beauvoir" in seen(elu, await elu.say("/niveau2"))

    # Level 2 in French figures: nonsense is re-prompted and stores nothing.
    await elu.tap("Sensibilisation")
    assert "Combien d’agents" in seen(elu, await elu.tap("Continuer"))
    for typed, why in (("beaucoup", "pas pu lire"), ("-3", "trop petit")):
        assert why in seen(elu, await elu.say(typed)), typed
    assert "Réponse enregistrée : 1\u202f200\u00a0agents" in seen(elu, await elu.say("1 200"))
    assert "Réponse enregistrée : 45\u00a0agents" in seen(elu, await elu.say("45"))
    computed = seen(elu, await elu.say("/indicateurs"))
    assert "Part des agents sensibilisés au numérique responsable sur deux ans : 3,8\u00a0%" in (
        computed
    )
    assert "Commune de Beauvoir (31)" in seen(referent, await referent.say("/collectivites"))

    # A second press of the same (stale) button changes nothing and says who decided.
    again = seen(referent, await referent.tap_data(request.message_id, accept))
    assert "déjà été acceptée par vous" in again
    await polling_bot.fake.wait_idle(quiet=0.3)
    assert count(admin, "a accepté d’accompagner") == 1 and count(elu, "a accepté") == 1

    # The collectivité ends the attachment: the referent and the élu are told, level 2 locks.
    await admin.say("/rattachement")
    await admin.tap("Mettre fin au rattachement")
    assert "est terminé" in seen(admin, await admin.tap("Oui, mettre fin"))
    await notified(referent, "Commune de Beauvoir a mis fin")
    await notified(elu, "Commune de Beauvoir a mis fin")
    assert not level2(sessions)

    # A new request, refused this time.
    await admin.say("/rattachement")
    await admin.tap("Opérateur Occitan")
    await admin.tap("Envoyer la demande")
    second = await notified(referent, "Nouvelle demande", timeout=10.0)
    assert second.message_id != request.message_id
    refuse = next(data for row in second.buttons for label, data in row if label == "Refuser")
    assert "refusée" in seen(referent, await referent.tap_data(second.message_id, refuse))
    await notified(admin, "n’a pas accepté la demande de rattachement")
    await notified(elu, "n’a pas accepté la demande de rattachement")
    assert not level2(sessions)
