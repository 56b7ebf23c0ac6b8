"""Whole conversations through the Matrix channel against a real Synapse, encrypted by default."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from nio import MegolmEvent, RoomMessageText

from dialogs.events import EventKind
from ecoclic.service import ChatService
from tests.bot.matrix.conftest import Person, RunningMatrixBot, build_bot, new_user
from tests.helpers.synapse import Synapse


async def register(person: Person) -> None:
    await person.say("/start")
    await person.choose("Inscrire ma collectivité")
    await person.say("21310555400017")
    await person.say("Commune")  # a choice typed by its label
    await person.say("Commune de Test")
    await person.say("31")
    await person.say("1200")
    texts = await person.choose("Enregistrer")
    assert "Commune de Test est enregistrée" in texts


async def new_texts(person: Person, text: str) -> str:
    """What the bot sent in answer to `text` only."""
    before = len(person.user.notices)
    await person.say(text)
    return person.user.texts(len(person.user.notices) - before)


def every_bot_message_is_a_notice(person: Person) -> None:
    for notice in person.user.notices.values():
        for content in notice.raw:
            assert content["msgtype"] == "m.notice", content
            if "m.new_content" in content:
                assert content["m.new_content"]["msgtype"] == "m.notice", content


async def test_whole_conversation_by_number_and_by_label(person: Person) -> None:
    await register(person)
    question = list(person.user.notices.values())[-1]
    assert "1. Oui" in question.body and "2. Non" in question.body

    await person.say("1")  # by number
    assert question.edited, "the answered question is edited in place"
    assert "Votre réponse" in question.body and "1. Oui" not in question.body
    edit = question.raw[-1]
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": question.event_id}

    second = list(person.user.notices.values())[-1]
    assert second.event_id != question.event_id and "2. Non" in second.body
    await person.say("non")  # by label, in lower case
    assert second.edited and "Votre réponse" in second.body

    score = await person.say("/score")
    assert "Indice de maturité" in score
    every_bot_message_is_a_notice(person)
    assert person.user.seen and not person.user.plaintext, "everything end-to-end encrypted"


async def test_bad_input_gets_a_helpful_reply(person: Person) -> None:
    await register(person)
    assert "Je n’ai pas compris cette réponse" in await new_texts(person, "peut-être bien")
    assert "Je n’ai pas compris" in await new_texts(person, "9")  # no such choice: plain text
    assert "Je ne connais pas la commande /meteo" in await person.say("/meteo")
    every_bot_message_is_a_notice(person)


async def test_unencrypted_room_and_join_time(
    synapse: Synapse, matrix_bot: RunningMatrixBot, tmp_path: Path
) -> None:
    user = await new_user(synapse, tmp_path, "dominique")
    try:
        await user.dm(matrix_bot.account.user_id, encrypted=False)
        joined_after = await user.wait_joined(matrix_bot.account.user_id)
        assert joined_after < 10, "an invitation is joined within seconds"
        person = Person(user, matrix_bot)
        assert "Inscrire ma collectivité" in await person.say("/start")
        assert not matrix_bot.channel.client.rooms[user.room_id].encrypted
        assert user.plaintext == user.seen
    finally:
        await user.close()


async def test_a_redelivered_event_is_handled_once(person: Person) -> None:
    await person.say("/start")
    event = RoomMessageText.from_dict(
        {
            "type": "m.room.message",
            "event_id": "$replayed-event",
            "sender": person.user.client.user_id,
            "origin_server_ts": int(time.time() * 1000),
            "content": {"msgtype": "m.text", "body": "/aide"},
        }
    )
    bot, room = person.bot, person.user.room_id
    sent = len(bot.sender.sent[room])
    await bot.channel.handle(room, event)
    assert len(bot.sender.sent[room]) > sent, "the first delivery is answered"
    sent = len(bot.sender.sent[room])
    await bot.channel.handle(room, event)
    assert len(bot.sender.sent[room]) == sent, "the same event id is not handled twice"


async def test_pending_invitation_joined_at_start_and_restart_resumes(
    synapse: Synapse, tmp_path: Path, sql_service: ChatService
) -> None:
    account = synapse.register(f"pending{int(time.time() * 1000) % 10**8}")
    user = await new_user(synapse, tmp_path, "claude")
    bot = build_bot(synapse, account, tmp_path / "bot-store", sql_service)
    try:
        # The bot's device keys exist only once it has started: invited while it is down.
        await user.dm(account.user_id, encrypted=True)
        started = time.monotonic()
        await bot.channel.start()
        joined_after = await user.wait_joined(account.user_id)
        assert time.monotonic() - started < 10
        person = Person(user, bot)
        assert "Inscrire ma collectivité" in await person.say("/start")
        await person.choose("Inscrire ma collectivité")
        await person.say("21310555400017")
        await bot.channel.stop()

        # Same token, device and key store: the conversation goes on where it was, and the
        # choices shown before the restart can still be typed by number.
        again = build_bot(synapse, account, tmp_path / "bot-store", sql_service)
        await again.channel.start()
        bot = again
        person = Person(user, again)
        assert "Quel est son nom" in await person.choose("Commune")
        assert again.handled[-1].kind is EventKind.BUTTON, "the typed number pressed the button"
        assert not user.plaintext, "still encrypted after the restart (keys from the store)"
        assert joined_after >= 0
    finally:
        await bot.channel.stop()
        await user.close()


async def test_a_message_not_decrypted_yet_is_kept_and_handled_once_its_key_arrives(
    person: Person,
) -> None:
    bot, room = person.bot, person.user.room_id
    await person.say("/start")
    channel = bot.channel
    assert channel._loop is not None
    channel._loop.cancel()  # the bot stops syncing: the key of the next message stays unknown
    await asyncio.gather(channel._loop, return_exceptions=True)
    person.user.client.invalidate_outbound_session(room)  # a new key, sent as a to-device message
    event_id = await person.user.send("/aide")
    fetched = await channel.client.room_get_event(room, event_id)
    assert isinstance(fetched.event, MegolmEvent), fetched
    await channel.handle(room, fetched.event)
    assert [e.event_id for _room, e, _at in channel.undecrypted.events] == [event_id]

    sent = len(bot.sender.sent[room])
    response = await channel.client.sync(timeout=0)  # the key arrives (and the message again)
    await channel._after_sync(response)
    await bot.wait_handled(event_id)
    await asyncio.sleep(0.5)
    assert not channel.undecrypted.events
    assert sum(e.event_id == f"mx:{event_id}" for e in bot.handled) == 2  # seen twice…
    answers = len(bot.sender.sent[room]) - sent
    assert answers == 1, "…answered once (the service dedupes by event id)"
