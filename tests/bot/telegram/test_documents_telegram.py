"""/documents through Telegram, both libraries: the fake Bot API receives real uploads (sendDocument)."""

from __future__ import annotations

import io
import zipfile

import pypdf

from bot.telegram.render import MAX_CAPTION, render
from dialogs.replies import Attachment, Button, Reply
from tests.bot.telegram.conftest import RunningBot


async def test_documents_sends_a_pdf_and_an_ods(polling_bot: RunningBot) -> None:
    user = polling_bot.user(1501, name="Camille")
    await user.register(name="Commune <Saint-Ours> & Co")
    await user.say("non")  # one answer: a plan with one action
    menu = await user.say("/documents")
    assert "Documents de Commune <Saint-Ours> & Co" in user.texts(menu)
    labels = [label for m in menu for row in m.buttons for label, _data in row]
    assert labels == ["Feuille de route PDF", "Plan tableur (ODS)", "Plan (CSV)"]

    sent_pdf = await user.tap("Feuille de route PDF")
    pdf = next(m for m in sent_pdf if m.kind == "document")
    assert pdf.file is not None and pdf.file.mime_type == "application/pdf"
    assert pdf.file.file_name.startswith("feuille-de-route-21310555400017-")
    assert pdf.text.startswith(
        "Feuille de route numérique responsable de Commune <Saint-Ours> & Co"
    )
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.file.data)).pages)
    assert "Commune <Saint-Ours> & Co" in " ".join(text.split())

    sent_ods = await user.tap("Plan tableur (ODS)")
    ods = next(m for m in sent_ods if m.kind == "document")
    assert ods.file is not None and ods.file.file_name.endswith(".ods")
    with zipfile.ZipFile(io.BytesIO(ods.file.data)) as archive:
        assert b"Commune &lt;Saint-Ours&gt; &amp; Co" in archive.read("content.xml")
    uploads = polling_bot.fake.calls("sendDocument")
    assert [c.status for c in uploads] == [200, 200]
    assert all(c.params.get("parse_mode") == "HTML" for c in uploads)


async def test_a_long_caption_goes_first_as_a_message(polling_bot: RunningBot) -> None:
    """Telegram refuses captions over 1024 characters: the text is sent before the file."""
    file = Attachment("a.csv", "text/csv", b"x;y\r\n")
    long = Reply("mot " * 400, ((Button("OK", data="x"),),), attachment=file)
    chunks = render(long)
    assert [c.document is not None for c in chunks] == [False, True]
    assert chunks[0].keyboard and chunks[1].html == ""
    short = render(Reply("<b>", attachment=file))
    assert len(short) == 1 and short[0].html == "&lt;b&gt;" and len(short[0].html) <= MAX_CAPTION
    user = polling_bot.user(1502)
    await user.say("/aide")
    before = len(user.messages())
    # The outbox's path (TelegramDelivery) sends files too.
    assert await polling_bot.runtime.delivery.deliver("1502", long) is not None
    new = user.messages()[before:]
    assert [m.kind for m in new] == ["text", "document"]
    assert new[0].buttons and new[1].file is not None and new[1].file.data == b"x;y\r\n"
