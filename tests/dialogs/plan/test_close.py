"""Closing the loop: a done action offers the matching answer, recorded like any answer.

Through the real service on SQLite (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from referential.models import Referential
from referential.scoring import score
from storage.models import Answer, AnswerHistory
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import answer, item_id, item_row


async def test_done_offers_the_answer_update_and_the_index_rises(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"GOV-01": "non", "SEN-01": "nsp"})
    item = await item_id(sessions, "GOV-01")
    await alice.say("/score")
    before = score(referential, {"GOV-01": "non", "SEN-01": "nsp"}).index
    assert f"Indice de maturité : {before}/100" in alice.text()
    await alice.tap(f"p:i:{item}")
    await alice.press("Réalisé")
    text = alice.text()
    after = score(referential, {"GOV-01": "oui", "SEN-01": "nsp"}).index
    assert "Non → Oui" in text and f"passerait de {before} à {after}/100" in text
    async with sessions() as session:  # nothing changed before the confirmation
        assert (
            await session.scalar(select(Answer.value).where(Answer.question_id == "GOV-01"))
            == "non"
        )
    await alice.press("Oui, mettre à jour")
    assert f"Indice de maturité : {before} → {after}/100" in alice.text()
    await alice.say("/score")
    assert f"Indice de maturité : {after}/100" in alice.text()
    assert after - before == round(100 * referential.weight(referential.question("GOV-01")) / 68)
    async with sessions() as session:
        history = (
            await session.scalars(
                select(AnswerHistory.value)
                .where(AnswerHistory.question_id == "GOV-01")
                .order_by(AnswerHistory.id)
            )
        ).all()
    assert history == ["non", "oui"]
    assert (await item_row(sessions, item)).status == "realise"
    await alice.tap(f"p:y:{item}")  # a second tap changes nothing
    assert "déjà à jour" in alice.text()


async def test_keeping_the_answer_and_oui_in_the_questionnaire_closes_the_item(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"ECO-01": "non", "ECO-03": "nsp"})
    eco1 = await item_id(sessions, "ECO-01")
    await alice.tap(f"p:s:{eco1}:r")
    await alice.press("Non, garder")
    assert "la réponse reste « Non »" in alice.text()
    async with sessions() as session:
        assert (
            await session.scalar(select(Answer.value).where(Answer.question_id == "ECO-01"))
            == "non"
        )
    eco3 = await item_id(sessions, "ECO-03")
    await alice.tap("a:ECO-03:oui")
    assert "marquée réalisée" in alice.text()
    assert (await item_row(sessions, eco3)).status == "realise"
    await alice.tap(f"p:s:{eco3}:r")  # already réalisé, answer already oui: no offer
    assert "Mettre à jour la réponse" not in alice.text()


async def test_choice_question_offers_its_full_credit_option(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    q = referential.question("ACH-01")
    await answer(alice, referential, {"ACH-01": "non"})
    item = await item_id(sessions, "ACH-01")
    await alice.tap(f"p:s:{item}:r")
    best = next(o for o in q.options if o.credit >= 1)
    assert f"→ {best.label}" in alice.text()
    await alice.press("Oui, mettre à jour")
    async with sessions() as session:
        assert (
            await session.scalar(select(Answer.value).where(Answer.question_id == "ACH-01"))
            == best.id
        )
