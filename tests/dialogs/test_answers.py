"""Recording an answer: stored or cleared, re-scored, and the plan kept in step (dialogs.answers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest

from dialogs.answers import answer_label, record_answer
from dialogs.context import Ctx
from dialogs.events import Sender
from dialogs.i18n import Translator
from dialogs.ports import Transaction
from dialogs.records import ItemStatus, NewCollectivite
from referential.models import AnswerType, Question, Referential
from referential.scoring import score
from tests.helpers.fake_store import FakeDatabase

T = TypeVar("T")
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def yes_no(referential: Referential) -> Question:
    return next(q for q in referential.level_questions(1) if q.answer_type is AnswerType.YES_NO)


def in_ctx(db: FakeDatabase, referential: Referential, work: Callable[[Ctx], T]) -> tuple[T, Ctx]:
    """Run `work` in one unit of work, as the speaker "u1" of a registered collectivité."""

    def unit(tx: Transaction) -> tuple[T, Ctx]:
        user = tx.user_for(Sender("test", "u1", "u1", "Camille", "fr"), NOW)
        if tx.store.people.membership(user.id) is None:
            new = NewCollectivite("21310555400017", "commune", "Commune de Test", "31", 1200)
            tx.store.people.create_collectivite(new, user.id, NOW)
        ctx = Ctx(ref=referential, store=tx.store, user=user, state={}, now=NOW)
        return work(ctx), ctx

    return db.run(unit)


def test_a_no_is_stored_scored_and_opens_an_item(referential: Referential) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    changed, ctx = in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "non"))
    assert changed and ctx.out.toast is None  # a new item says nothing
    assert [(r["question_id"], r["value"]) for r in db.rows("answers")] == [(q.id, "non")]
    assert [(r["question_id"], r["status"]) for r in db.rows("action_items")] == [(q.id, "a_faire")]
    (collectivite,) = db.rows("collectivites")
    assert collectivite["current_index"] == score(referential, {q.id: "non"}).index
    assert collectivite["answered_count"] == 1


def test_the_same_answer_again_changes_nothing(referential: Referential) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "non"))
    changed, _ = in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "non"))
    assert not changed
    assert db.count("answer_history") == 1 and db.count("action_items") == 1


def test_a_yes_marks_the_item_done_and_a_no_reopens_it(referential: Referential) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "non"))
    _, ctx = in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "oui"))
    assert ctx.out.toast == "Action du plan marquée réalisée."
    assert [r["status"] for r in db.rows("action_items")] == ["realise"]
    _, ctx = in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "nsp"))
    assert ctx.out.toast == "Action du plan rouverte."
    assert [r["status"] for r in db.rows("action_items")] == ["a_faire"]


def test_a_yes_without_item_creates_none(referential: Referential) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    _, ctx = in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "oui"))
    assert db.count("action_items") == 0 and ctx.out.toast is None


def test_an_item_set_aside_stays_aside(referential: Referential) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "non"))
    (item,) = db.tables.rows("action_items")
    item["status"] = ItemStatus.NON_RETENU.value
    in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "nsp"))
    assert [r["status"] for r in db.rows("action_items")] == ["non_retenu"]


def test_clearing_an_answer_rescores_and_leaves_the_plan(referential: Referential) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "non"))
    changed, _ = in_ctx(db, referential, lambda ctx: record_answer(ctx, q, None))
    assert changed and db.rows("answers") == []
    assert db.rows("collectivites")[0]["answered_count"] == 0
    assert [r["status"] for r in db.rows("action_items")] == ["a_faire"]


def test_an_answer_the_question_does_not_accept_is_refused(
    referential: Referential,
) -> None:
    db, q = FakeDatabase(), yes_no(referential)
    with pytest.raises(ValueError):
        in_ctx(db, referential, lambda ctx: record_answer(ctx, q, "peutetre"))
    assert db.count("answers") == 0  # the unit of work rolled back


def test_answer_label(referential: Referential) -> None:
    fr, en = Translator("fr"), Translator("en")
    q = yes_no(referential)
    assert answer_label(fr, q, "nsp") == "Je ne sais pas"
    assert answer_label(fr, q, None) == "sans réponse"
    assert answer_label(en, q, None) == "no answer"
    choice = next(q for q in referential.level_questions(1) if q.answer_type is AnswerType.CHOICE)
    option = choice.options[0]
    assert answer_label(fr, choice, option.id) == option.label
