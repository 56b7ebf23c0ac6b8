"""An action without a question (the team's own) renders on every screen, message and document
that shows plan items: list, card, history, « réalisé », reminders, CSV/ODS/PDF, supervision."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pypdf

from dialogs.documents.ods import plan_ods
from dialogs.documents.pdf import roadmap_pdf
from dialogs.documents.tables import plan_csv
from dialogs.i18n import translator
from dialogs.opsn.supervision_view import item_title
from dialogs.plan.entries import item_number, item_origin_label, item_priority, ordered
from dialogs.ports import Transaction
from dialogs.reminders.texts import digest_reply, due_reply
from referential.models import Priority, Referential
from tests.dialogs.plan.steps import TITLE, add_own
from tests.helpers.chat import ChatDriver
from tests.helpers.documents import data_of
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer


async def test_an_own_action_renders_in_chat(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"PAR-02": "non"})
    own = add_own(fake_db, referential, "alice")
    await alice.say("/plan")
    assert TITLE in alice.text() and "Action de l’équipe" in alice.text()
    label = f"{item_number(own, referential)}. "
    assert any(b.label.startswith(label) for b in alice.buttons())
    await alice.tap(f"p:i:{own.id}")
    card = alice.text()
    assert TITLE in card and "Action de l’équipe" in card and "affichette" in card
    assert "Ressources" not in [b.label for b in alice.buttons()]
    await alice.press("Historique")
    assert TITLE in alice.text() and "Alice" in alice.text()
    await alice.tap(f"p:i:{own.id}")
    await alice.press("Réalisé")
    assert "Statut : Réalisé" in alice.text()
    assert "Mettre à jour la réponse" not in alice.text()  # no question, no answer to update


async def test_an_own_action_renders_in_messages_and_documents(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"PAR-02": "non"})
    own = add_own(fake_db, referential, "alice")
    tr = translator("fr")
    due = due_reply(tr, referential, own, date(2026, 11, 28))
    assert TITLE in due.text
    digest = digest_reply(tr, referential, "Alice", [own], date(2026, 11, 28))
    assert TITLE in digest.text
    assert item_title(referential, own) == TITLE
    assert item_origin_label(own, tr) == "Action de l’équipe"
    assert item_priority(own, referential) == referential.weights[Priority.PRIORITAIRE]
    assert ordered(referential, [own]) == [own]

    def documents(tx: Transaction) -> None:
        member = tx.store.people.membership(fake_db.user_id("alice"))
        assert member is not None
        data = data_of(tx.store, referential, member.collectivite.id)
        (row,) = [r for r in data.rows if r.title == TITLE]
        assert row.number == item_number(own, referential) and row.origin
        assert TITLE in plan_csv(data).decode("utf-8")
        with zipfile.ZipFile(io.BytesIO(plan_ods(data))) as ods:
            assert TITLE in ods.read("content.xml").decode()
        pdf = pypdf.PdfReader(io.BytesIO(roadmap_pdf(data)))
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert TITLE in " ".join(text.split())

    fake_db.run(documents)
