"""A team on Tchap: the administrator's invitation, used by a colleague who sends `/start CODE` (deep
links have no Matrix equivalent); the administrator is told through the outbox. An OPSN referent on
Tchap decides an attachment request made from another channel. Direct-room invitations only: the bot
stays out of other rooms."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.dispatcher import OutboxDispatcher
from dialogs.records import InvitationKind
from dialogs.team.people import new_token
from ecoclic.service import ChatService
from storage import outbox
from storage.store import SqlStore
from tests.bot.matrix.conftest import Person, RunningMatrixBot, new_user
from tests.bot.matrix.test_conversation import register
from tests.helpers.chat import ChatDriver
from tests.helpers.synapse import Synapse

START_LINE = re.compile(r"Sur Tchap, envoyez ce message au bot : (/start inv_[A-Za-z0-9_-]+)")


async def test_invitation_used_from_tchap_by_a_second_member(
    synapse: Synapse,
    person: Person,
    matrix_bot: RunningMatrixBot,
    tmp_path: Path,
    sessions: sessionmaker[Session],
) -> None:
    await register(person)
    await person.say("/equipe")
    texts = await person.choose("Inviter une personne")
    found = START_LINE.search(texts)
    assert found, texts

    colleague = Person(await new_user(synapse, tmp_path, "eli"), matrix_bot)
    try:
        await colleague.user.dm(matrix_bot.account.user_id)
        await colleague.user.wait_joined(matrix_bot.account.user_id)
        assert "Bienvenue dans l’équipe de Commune de Test" in await colleague.say(found.group(1))
        dispatcher = OutboxDispatcher(sessions, matrix_bot.sender, channel="matrix")
        stats = await dispatcher.run_once()
        assert stats.sent == 1
        await person.user.say_until("", "a rejoint l’équipe de Commune de Test")
    finally:
        await colleague.user.close()


async def test_a_room_that_is_not_direct_is_not_joined(
    synapse: Synapse, matrix_bot: RunningMatrixBot, tmp_path: Path
) -> None:
    user = await new_user(synapse, tmp_path, "groupe")
    try:
        created = await user.client.room_create(invite=[matrix_bot.account.user_id])
        await asyncio.sleep(2)  # direct rooms are joined well within that
        assert created.room_id in matrix_bot.channel.client.invited_rooms, "invitation seen"
        members = await user.client.joined_members(created.room_id)
        assert matrix_bot.account.user_id not in {m.user_id for m in members.members}
    finally:
        await user.close()


async def test_an_opsn_referent_on_tchap_decides_a_request_made_on_another_channel(
    synapse: Synapse,
    person: Person,
    matrix_bot: RunningMatrixBot,
    sessions: sessionmaker[Session],
    sql_service: ChatService,
) -> None:
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
    assert "référent" in await person.say(f"/start ref_{token}")  # the referent, on Tchap

    admin = ChatDriver.for_user(sql_service, "tg-admin", "Camille")  # a collectivité elsewhere
    await admin.register()
    await admin.say("/rattachement")
    await admin.press("Opérateur Occitan")
    await admin.press("Envoyer la demande")
    assert "Demande envoyée à Opérateur Occitan" in admin.text()

    dispatcher = OutboxDispatcher(sessions, matrix_bot.sender, channel="matrix")
    assert (await dispatcher.run_once()).sent == 1
    request = await person.user.say_until("", "Nouvelle demande de rattachement")
    assert "Commune de Test" in request and "1. Accepter" in request
    assert "accompagne désormais" in await person.choose("Accepter")
    with sessions() as session:
        assert outbox.counts(session, "test") == {"pending": 1}  # the answer, for the other side
