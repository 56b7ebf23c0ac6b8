"""A reply survives the outbox's JSON round trip, with or without a file."""

from __future__ import annotations

import json

from dialogs.replies import Attachment, Button, Reply


def test_a_reply_without_a_file_has_no_attachment_key() -> None:
    reply = Reply("Bonjour", ((Button("Oui", data="x"),),))
    raw = reply.to_json()
    assert "attachment" not in raw
    assert Reply.from_json(json.loads(json.dumps(raw))) == reply


def test_a_file_comes_back_byte_for_byte() -> None:
    content = bytes(range(256)) * 3
    reply = Reply("Votre plan", attachment=Attachment("plan.ods", "application/x", content))
    raw = json.loads(json.dumps(reply.to_json()))
    assert raw["attachment"]["filename"] == "plan.ods"
    assert set(raw["attachment"]) == {"filename", "media_type", "content_b64"}
    back = Reply.from_json(raw)
    assert back == reply
    assert back.attachment is not None and back.attachment.content == content
