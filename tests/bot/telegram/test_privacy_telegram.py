"""Data rights and edited messages through Telegram (fake Bot API, both adapters, long polling)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Membership, User
from tests.bot.telegram.conftest import RunningBot


async def test_an_edited_message_gets_a_short_answer(
    polling_bot: RunningBot, sessions: Any
) -> None:
    user = polling_bot.user(701)
    update = await polling_bot.fake.send_text(701, "/start", first_name="Camille")
    await user.handled(update)
    before = len(user.messages())
    answer = await user.edit(update, "/aide")
    assert len(user.messages()) == before + 1
    assert "Je ne lis pas les messages modifiés" in user.texts(answer)
    assert "Voici ce que je sais faire" not in user.texts(answer)  # the new text is not read


async def test_privacy_commands_and_erasure(polling_bot: RunningBot, sessions: Any) -> None:
    user = polling_bot.user(702)
    await user.register()
    assert "/supprimer pour les effacer" in user.texts()  # the welcome's notice
    assert "Combien de temps" in user.texts(await user.say("/confidentialite"))
    assert "/mesdonnees" in user.texts(await user.say("/aide"))
    offered = await user.say("/mesdonnees")
    assert "Quelles données voulez-vous recevoir" in user.texts(offered)
    await user.say("/supprimer")
    refused = await user.tap("Effacer mes données")
    assert "seule personne de l’équipe" in user.texts(refused)
    await user.say("/supprimer")
    await user.tap("Supprimer toute la collectivité")
    gone = await user.say("Commune de Test")
    assert "est supprimée d’Éco-clic" in user.texts(gone)
    await user.say("/supprimer")
    await user.tap("Effacer mes données")
    done = await user.tap("Oui, effacer")
    assert "vos données personnelles sont effacées" in user.texts(done)
    with sessions() as session:
        assert session.scalars(select(Membership)).all() == []
        (row,) = session.scalars(select(User)).all()
        assert (row.channel, row.external_id, row.chat_id, row.display_name) == (
            "erased",
            str(row.id),
            "",
            "",
        )


async def test_pending_invitations_in_team_and_revoked(
    polling_bot: RunningBot, sessions: Any
) -> None:
    user = polling_bot.user(703)
    await user.register()
    await user.say("/equipe")
    await user.tap("Inviter une personne")
    team = await user.say("/equipe")
    assert "Invitations en attente" in user.texts(team) and "créée par vous" in user.texts(team)
    revoked = await user.tap("Révoquer l’invitation 1")
    assert "Invitation révoquée" in user.texts(revoked)
    assert "Invitations en attente" not in user.texts(await user.say("/equipe"))
