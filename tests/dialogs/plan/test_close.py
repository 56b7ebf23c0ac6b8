"""Closing the loop: a done action offers the matching answer, recorded like any answer.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from referential.models import Referential
from referential.scoring import score
from tests.dialogs.plan.steps import answer_value, item_id, item_row
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer


async def test_done_offers_the_answer_update_and_the_index_rises(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"GOV-01": "non", "SEN-01": "nsp"})
    item = item_id(fake_db, "GOV-01")
    await alice.say("/score")
    before = score(referential, {"GOV-01": "non", "SEN-01": "nsp"}).index
    assert f"Indice de maturité : {before}/100" in alice.text()
    await alice.tap(f"p:i:{item}")
    await alice.press("Réalisé")
    text = alice.text()
    after = score(referential, {"GOV-01": "oui", "SEN-01": "nsp"}).index
    assert "Non → Oui" in text and f"passerait de {before} à {after}/100" in text
    assert answer_value(fake_db, "GOV-01") == "non"  # nothing changed before the confirmation
    await alice.press("Oui, mettre à jour")
    assert f"Indice de maturité : {before} → {after}/100" in alice.text()
    await alice.say("/score")
    assert f"Indice de maturité : {after}/100" in alice.text()
    assert after - before == round(100 * referential.weight(referential.question("GOV-01")) / 68)
    history = [r["value"] for r in fake_db.rows("answer_history") if r["question_id"] == "GOV-01"]
    assert history == ["non", "oui"]
    assert item_row(fake_db, item)["status"] == "realise"
    await alice.tap(f"p:y:{item}")  # a second tap changes nothing
    assert "déjà à jour" in alice.text()


async def test_keeping_the_answer_and_oui_in_the_questionnaire_closes_the_item(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"ECO-01": "non", "ECO-03": "nsp"})
    eco1 = item_id(fake_db, "ECO-01")
    await alice.tap(f"p:s:{eco1}:r")
    await alice.press("Non, la garder")
    assert "la réponse reste « Non »" in alice.text()
    assert answer_value(fake_db, "ECO-01") == "non"
    eco3 = item_id(fake_db, "ECO-03")
    await alice.tap("a:ECO-03:oui")
    assert "marquée réalisée" in alice.text()
    assert item_row(fake_db, eco3)["status"] == "realise"
    await alice.tap(f"p:s:{eco3}:r")  # already réalisé, answer already oui: no offer
    assert "Mettre à jour la réponse" not in alice.text()


async def test_choice_question_offers_its_full_credit_option(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    q = referential.question("ACH-01")
    await answer(alice, referential, {"ACH-01": "non"})
    item = item_id(fake_db, "ACH-01")
    await alice.tap(f"p:s:{item}:r")
    best = next(o for o in q.options if o.credit >= 1)
    assert f"→ {best.label}" in alice.text()
    await alice.press("Oui, mettre à jour")
    assert answer_value(fake_db, "ACH-01") == best.id
