"""Files on Matrix (`m.file`) against a real Synapse: /documents in encrypted and clear rooms, the
caption as a notice just before, outbox deliveries with a file, and the polite refusals (too large,
upload refused or impossible, not a member)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nio import AsyncClient, AsyncClientConfig
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import TransientFailure
from bot.dispatcher import OutboxDispatcher
from bot.matrix.files import DEFAULT_LIMIT, Uploads, file_content, size_text
from dialogs.documents.tables import HEADER
from dialogs.replies import Attachment, Button, Reply
from storage import outbox
from storage.models import User
from tests.bot.matrix.conftest import Person, RunningMatrixBot, new_user
from tests.bot.matrix.test_conversation import register
from tests.bot.matrix.test_rate_limits import throttle
from tests.helpers.synapse import Synapse

BOM = b"\xef\xbb\xbf"


async def ask_csv(person: Person) -> None:
    await person.say("/documents")
    await person.choose("Plan (CSV)")


def last_two(person: Person) -> list[dict[str, object]]:
    return [n.raw[0] for n in list(person.user.notices.values())[-2:]]


async def test_encrypted_room_gets_the_csv_as_an_encrypted_file(person: Person) -> None:
    await register(person)
    await ask_csv(person)
    caption, file = last_two(person)
    assert caption["msgtype"] == "m.notice", caption
    assert "Plan d’actions de Commune de Test (CSV" in str(caption["body"])
    assert "1. Autres documents" in str(caption["body"]), "the caption keeps its choices"
    assert file["msgtype"] == "m.file" and "url" not in file, file
    name = str(file["filename"])
    assert file["body"] == name and name.startswith("plan-actions-") and name.endswith(".csv")
    encrypted = file["file"]
    assert isinstance(encrypted, dict) and str(encrypted["url"]).startswith("mxc://")
    assert {"key", "iv", "hashes", "v"} <= set(encrypted)

    data = await person.user.download(file)
    assert data.startswith(BOM)
    assert HEADER[1] in data.decode("utf-8-sig").splitlines()[0].split(";")
    assert file["info"] == {"mimetype": "text/csv", "size": len(data)}
    assert not person.user.plaintext, "the file event itself is end-to-end encrypted"

    menu = await person.choose("Autres documents")  # the caption's choice, typed after the file
    assert "Feuille de route PDF" in menu


async def test_clear_room_gets_a_plain_url(
    synapse: Synapse, matrix_bot: RunningMatrixBot, tmp_path: Path
) -> None:
    user = await new_user(synapse, tmp_path, "alix")
    try:
        await user.dm(matrix_bot.account.user_id, encrypted=False)
        await user.wait_joined(matrix_bot.account.user_id)
        person = Person(user, matrix_bot)
        await register(person)
        await ask_csv(person)
        caption, file = last_two(person)
        assert caption["msgtype"] == "m.notice" and file["msgtype"] == "m.file"
        assert "file" not in file and str(file["url"]).startswith("mxc://")
        data = await user.download(file)
        assert data.startswith(BOM) and "Collectivité" in data.decode("utf-8-sig")
        assert user.plaintext == user.seen
    finally:
        await user.close()


async def test_mesdonnees_sends_the_json_export(person: Person) -> None:
    await register(person)
    await person.say("/mesdonnees")
    await person.choose("Mes données personnelles")  # an administrator may also export it all
    caption, file = last_two(person)
    assert caption["msgtype"] == "m.notice" and "Voici tout ce que je garde sur vous" in str(
        caption["body"]
    )
    assert file["msgtype"] == "m.file" and "file" in file
    assert str(file["filename"]).startswith("ecoclic-mes-donnees-")
    assert file["info"]["mimetype"] == "application/json"  # type: ignore[index]
    export = json.loads(await person.user.download(file))
    assert person.user.client.user_id in json.dumps(export, ensure_ascii=False)


async def test_a_non_member_gets_no_file(person: Person) -> None:
    texts = await person.say("/documents")
    assert "Il faut d’abord inscrire votre collectivité" in texts
    await person.say("Plan (CSV)")
    await person.say("3")
    assert not person.user.files()


async def test_a_queued_notification_with_a_file(
    person: Person, sessions: sessionmaker[Session]
) -> None:
    """Through the outbox as stored (the file in the row's JSON) and the real dispatcher."""
    await person.say("/aide")
    export = Attachment("mes-donnees.json", "application/json", b'{"nom": "Camille"}')
    reply = Reply("Vos données", ((Button("OK", data="x"),),), attachment=export)
    with sessions() as session, session.begin():
        user_id = session.scalar(
            select(User.id).where(User.channel == "matrix", User.chat_id == person.user.room_id)
        )
        assert user_id is not None
        assert outbox.enqueue(session, user_id, "export-test", reply, datetime.now(UTC))
    dispatcher = OutboxDispatcher(sessions, person.bot.sender, channel="matrix")
    assert (await dispatcher.run_once()).sent == 1
    await person.user.wait_for(person.bot.sender.sent[person.user.room_id][-2:])
    caption, file = last_two(person)
    assert caption["msgtype"] == "m.notice" and "1. OK" in str(caption["body"])
    assert file["body"] == "mes-donnees.json" and "file" in file
    assert await person.user.download(file) == b'{"nom": "Camille"}'


async def test_too_large_or_refused_is_told_in_a_notice(person: Person, synapse: Synapse) -> None:
    sender = person.bot.sender
    assert await Uploads(sender.client, sender.pacing).upload_limit() == DEFAULT_LIMIT  # Synapse's
    await register(person)
    sender.uploads.limit = 100  # bytes: the plan is larger
    await ask_csv(person)
    caption, refusal = last_two(person)
    assert "Plan d’actions" in str(caption["body"])
    assert refusal["msgtype"] == "m.notice", refusal
    assert "dépasse la taille acceptée par votre serveur Matrix (1 ko)" in str(refusal["body"])
    assert not person.user.files()

    # A homeserver refusing the upload (here: an unknown token) is told too, without a crash.
    refused = AsyncClient(synapse.url, "@ghost:localhost")
    refused.restore_login("@ghost:localhost", "GHOST", "not-a-token")
    sender.uploads = Uploads(refused, sender.pacing)
    sender.uploads.limit = DEFAULT_LIMIT
    try:
        await person.say("/documents")
        await person.choose("Plan (CSV)")
        caption, refusal = last_two(person)
        assert "n’a pas pu être envoyé" in str(refusal["body"]), refusal
        assert not person.user.files()
    finally:
        await refused.close()


async def test_an_unreachable_upload_is_retried_whole_by_the_outbox(person: Person) -> None:
    sender, room = person.bot.sender, person.user.room_id
    await person.say("/aide")
    before = len(sender.sent[room])
    away = AsyncClient(
        "http://127.0.0.1:9", "@bot:localhost", config=AsyncClientConfig(max_timeouts=0)
    )
    away.restore_login("@bot:localhost", "DEVICE", "token")
    sender.uploads = Uploads(away, sender.pacing)
    sender.uploads.limit = DEFAULT_LIMIT
    try:
        with pytest.raises(TransientFailure):
            await sender.deliver(
                room, Reply("Export", attachment=Attachment("a.csv", "text/csv", b"x"))
            )
        assert len(sender.sent[room]) == before, "nothing half-sent: the caption waits for the file"
    finally:
        await away.close()


def test_sizes_read_in_french_and_contents_per_room_kind() -> None:
    assert size_text(100) == "1 ko" and size_text(820_000) == "820 ko"
    assert size_text(12_500_000) == "12,5 Mo" and size_text(DEFAULT_LIMIT) == "52,4 Mo"
    file = Attachment("plan.csv", "text/csv", b"a;b")
    clear = file_content(file, "mxc://localhost/abc", None)
    assert clear["url"] == "mxc://localhost/abc" and "file" not in clear
    keys = {"v": "v2", "key": {"k": "K"}, "iv": "IV", "hashes": {"sha256": "H"}}
    secret = file_content(file, "mxc://localhost/abc", keys)
    assert "url" not in secret and secret["file"]["url"] == "mxc://localhost/abc"
    assert secret["info"] == {"mimetype": "text/csv", "size": 3} and secret["body"] == "plan.csv"


async def test_a_429_on_the_file_waits_rather_than_resending_the_caption(
    synapse: Synapse, person: Person
) -> None:
    """From the outbox a 429 usually reschedules the message; once its caption is out, the file
    waits its turn instead (a reschedule would send the caption twice)."""
    bot, room = person.bot, person.user.room_id
    await person.say("/aide")
    throttle(synapse, bot.account.user_id, 1)
    await asyncio.sleep(1.5)  # the caption has its burst; the file right after it gets a 429
    file = Attachment("plan.csv", "text/csv", BOM + b"N\xc2\xb0;Action\r\n")
    sent = await bot.sender.deliver(room, Reply("Le plan", attachment=file))
    assert isinstance(sent, str)
    await person.user.wait_for(bot.sender.sent[room][-2:])
    captions = [n for n in person.user.notices.values() if n.body == "Le plan"]
    assert len(captions) == 1
    assert await person.user.download(person.user.files()[-1]) == file.content
