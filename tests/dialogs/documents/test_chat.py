"""/documents in the engine: the speaker's own collectivité only, any moment, bad buttons refused."""

from __future__ import annotations

from dialogs.documents.buttons import SendDocument
from dialogs.documents.files import DocumentFormat
from ecoclic.service import ChatService
from tests.helpers.chat import ChatDriver


async def test_documents_before_any_answer_sends_an_empty_plan(service: ChatService) -> None:
    alice = ChatDriver.for_user(service, "alice", "Alice")
    await alice.register(name="Commune de Test")
    await alice.say("/documents")
    assert "Documents de Commune de Test" in alice.text()
    outcome = await alice.tap(SendDocument(fmt=DocumentFormat.CSV).pack())
    (reply,) = outcome.replies
    assert reply.attachment is not None and reply.attachment.filename.endswith(".csv")
    assert reply.text.startswith("Plan d’actions de Commune de Test (CSV")
    lines = reply.attachment.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("N°;Action")  # header only
    assert outcome.toast == "Document envoyé."


async def test_strangers_and_forged_buttons_get_no_file(service: ChatService) -> None:
    stranger = ChatDriver.for_user(service, "bob", "Bob")
    await stranger.say("/documents")
    assert "inscrire votre collectivité" in stranger.text()
    outcome = await stranger.tap(SendDocument(fmt=DocumentFormat.PDF).pack())
    assert all(r.attachment is None for r in outcome.replies)
    assert "inscrire votre collectivité" in stranger.text()
    forged = await stranger.tap("doc:f:docx")
    assert all(r.attachment is None for r in forged.replies) and forged.replies


async def test_documents_in_english(service: ChatService) -> None:
    sam = ChatDriver.for_user(service, "sam", "Sam")
    await sam.register()
    await sam.say("/langue")
    await sam.press("English")
    await sam.say("/documents")
    assert "Documents of" in sam.text()
    labels = [b.label for b in sam.buttons()]
    assert labels == ["Roadmap PDF", "Plan sheet (ODS)", "Plan (CSV)"]
