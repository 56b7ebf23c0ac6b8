"""/mesdonnees: a JSON file of everything kept about the speaker, or (administrators) the whole
collectivité; the file travels as the reply's attachment and survives the outbox JSON."""

from __future__ import annotations

import json
from typing import Any

from dialogs.replies import Attachment, Button, Reply
from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.questionnaire.test_questions import answer_for
from tests.dialogs.team.steps import invite
from tests.helpers.chat import ChatDriver


def exported(driver: ChatDriver) -> tuple[Attachment, dict[str, Any]]:
    assert driver.last is not None
    files = [r.attachment for r in driver.last.replies if r.attachment is not None]
    assert len(files) == 1, driver.text()
    return files[0], json.loads(files[0].content.decode("utf-8"))


def test_attachment_round_trips_through_json() -> None:
    reply = Reply(
        "Voici",
        ((Button("Ok", "x"),),),
        attachment=Attachment("a.json", "application/json", b"\x00{}\xff"),
    )
    raw = json.loads(json.dumps(reply.to_json()))
    assert raw["attachment"] == {
        "filename": "a.json",
        "media_type": "application/json",
        "content_b64": "AHt9/w==",
    }
    assert Reply.from_json(raw) == reply
    assert "attachment" not in Reply("x").to_json()
    assert Reply.from_json(Reply("x").to_json()).attachment is None


async def test_a_member_receives_their_own_data(svc: ChatService, referential: Referential) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille Martin")
    await camille.say("/start " + await invite(admin))
    await camille.say("/questionnaire")
    await camille.tap(answer_for(referential.level_questions(1)[0], "non"))
    await camille.say("/mesdonnees")
    file, doc = exported(camille)
    assert file.media_type == "application/json" and file.filename.startswith(
        "ecoclic-mes-donnees-"
    )
    assert "tout ce que je garde sur vous" in camille.text()
    assert doc["format"] == "ecoclic-export/1" and doc["scope"] == "me"
    assert doc["account"][0]["display_name"] == "Camille Martin"
    assert doc["account"][0]["external_id"] == "c1"
    assert doc["memberships"][0]["role"] == "member"
    assert doc["collectivites"][0]["name"] == "Commune de Test"
    assert len(doc["answers_given"]) == 1 and len(doc["answer_history"]) == 1
    assert "Alix" not in json.dumps(doc, ensure_ascii=False)  # nobody else's data


async def test_an_admin_chooses_their_data_or_the_collectivite_file(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    await invite(admin)
    await admin.say("/mydata")
    assert [b.label for b in admin.buttons()] == [
        "Mes données personnelles",
        "Tout le dossier de Commune de Test",
    ]
    await admin.press("Tout le dossier")
    file, doc = exported(admin)
    assert file.filename.startswith("ecoclic-21310555400017-")
    assert doc["scope"] == "col" and doc["collectivite"][0]["siret"] == "21310555400017"
    assert [p["display_name"] for p in doc["people"]] == ["Alix"]
    assert len(doc["invitations"]) == 1 and "token" not in doc["invitations"][0]
    await admin.say("/mesdonnees")
    await admin.press("Mes données personnelles")
    _file, mine = exported(admin)
    assert mine["scope"] == "me" and mine["account"][0]["display_name"] == "Alix"


async def test_a_member_cannot_take_the_collectivite_file(svc: ChatService) -> None:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille")
    await camille.say("/start " + await invite(admin))
    await camille.tap("pv:x:col")
    assert camille.last is not None and all(r.attachment is None for r in camille.last.replies)
    assert "Seuls les administrateurs" in camille.text()


async def test_a_stranger_gets_their_account_only(svc: ChatService) -> None:
    stranger = ChatDriver.for_user(svc, "s1", "Sam")
    await stranger.say("/mesdonnees")
    _file, doc = exported(stranger)
    assert doc["account"][0]["display_name"] == "Sam" and doc["memberships"] == []
