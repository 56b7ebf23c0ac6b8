"""Level-2 gaps in the action plan (opened by `recommend_if`, closed when the answer improves) and
/indicateurs (computed, threshold met, non calculable with buttons to the missing answers)."""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.level2.buttons import Level2Ask
from dialogs.plan.entries import item_priority, item_priority_level, question_priority
from dialogs.plan.sync import ensure_items
from referential.models import Priority, Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase


def cid(db: FakeDatabase) -> int:
    (row,) = db.rows("collectivites")
    return int(row["id"])


def items(db: FakeDatabase) -> dict[str, str]:
    return {i["question_id"]: i["status"] for i in db.rows("action_items")}


async def answer(driver: ChatDriver, db: FakeDatabase, qid: str, typed: str) -> None:
    await driver.tap(Level2Ask(cid(db), qid).pack())
    await driver.say(typed)
    assert "Réponse enregistrée" in driver.text(), driver.text()


async def test_a_level2_gap_opens_an_item_and_closes_it_when_the_answer_improves(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    admin = attached["admin"]
    await answer(admin, fake_db, "SEN2-02", "0")
    assert "Recommandation (Prioritaire) : Organiser une première sensibilisation" in admin.text()
    assert items(fake_db) == {"SEN2-02": "a_faire"}
    await admin.say("/plan")
    assert "Organiser une première sensibilisation" in admin.text()
    await answer(admin, fake_db, "SEN2-02", "je ne sais pas")  # tells nothing: item unchanged
    assert items(fake_db) == {"SEN2-02": "a_faire"}
    await answer(admin, fake_db, "SEN2-02", "15")
    assert items(fake_db) == {"SEN2-02": "realise"}
    assert "Action du plan marquée réalisée" in admin.text()
    await answer(admin, fake_db, "SEN2-02", "0")
    assert items(fake_db) == {"SEN2-02": "a_faire"}
    # figures never open an item unless a rule says so
    await answer(admin, fake_db, "SEN2-01", "40")
    assert set(items(fake_db)) == {"SEN2-02"}


async def test_rule_priority_and_items_completed_from_old_answers(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    admin = attached["admin"]
    c = cid(fake_db)
    await admin.tap(Level2Ask(c, "GOV2-01").pack())
    await admin.press("Un agent seul")  # rule: recommandee, while the question is prioritaire
    q = referential.question("GOV2-01")
    assert q.priority is Priority.PRIORITAIRE

    def check(tx: object) -> None:
        from datetime import UTC, datetime

        store = tx.store  # type: ignore[attr-defined]
        user = store.people.user(fake_db.user_id("admin"))
        ctx = Ctx(referential, store, user, {}, datetime(2026, 11, 24, tzinfo=UTC))
        answers = store.answers.of(c)
        assert question_priority(referential, q, answers) is Priority.RECOMMANDEE
        item = store.plan.item_for_question(c, q.id)
        assert item is not None
        assert item_priority_level(item, referential, answers) is Priority.RECOMMANDEE
        assert (
            item_priority(item, referential, answers) == referential.weights[Priority.RECOMMANDEE]
        )
        store.answers.set(
            c, "PAR2-03", "12", referential_version="x", user_id=user.id, now=ctx.now
        )  # an answer that opens nothing
        store.answers.set(c, "SEN2-02", "0", referential_version="x", user_id=user.id, now=ctx.now)
        made = {i.question_id for i in ensure_items(ctx, c)}
        assert {"GOV2-01", "SEN2-02"} <= made
        assert "PAR2-03" not in made

    fake_db.run(check)


async def test_indicators_computed_and_non_calculable(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    await elu.say("/indicateurs")
    text = elu.text()
    assert "Indicateurs de Commune de Beauvoir : 0 calculés sur" in text
    assert (
        "Part des agents sensibilisés au numérique responsable sur deux ans : non calculable "
        "(il manque : SEN2-02, SEN2-01)" in text
    )
    labels = [b.label for b in elu.buttons()]
    assert labels[0] == "Répondre ACH2-08"  # the first missing answer, first
    assert all(len(label) <= 20 for label in labels if label.startswith("Répondre"))
    await elu.press("Répondre ACH2-08")
    assert "Combien d’appareils louez-vous" in elu.text()
    await answer(elu, fake_db, "SEN2-02", "10")
    await answer(elu, fake_db, "SEN2-01", "1 200")
    await answer(elu, fake_db, "APL-03", "10")
    await answer(elu, fake_db, "APL-05", "4")
    await elu.say("/indicators")
    text = elu.text()
    assert "Part des agents sensibilisés au numérique responsable sur deux ans : 0,8\u00a0%" in text
    assert "Part des achats numériques avec une clause sociale : 40\u00a0%" in text
    assert "seuil ≥ 30\u00a0% atteint ✅" in text
    assert "Indicateurs de Commune de Beauvoir : 2 calculés sur" in text


async def test_a_referent_sees_the_indicators_of_a_followed_collectivite(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    ref, stranger = attached["ref"], attached["far"]
    await ref.say("/indicateurs")
    await ref.press("Commune de Beauvoir")
    assert "Indicateurs de Commune de Beauvoir" in ref.text()
    assert "en tant que référent de Opérateur Occitan" in ref.text()
    await stranger.say("/indicateurs")
    assert "Indicateurs de" not in stranger.text()
