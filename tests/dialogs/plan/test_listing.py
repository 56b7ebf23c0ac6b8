"""The /plan list: items born from answers, order, paging for a phone, filters, English.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from dialogs.replies import MAX_BUTTON_DATA_BYTES
from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.plan.steps import item_id
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer

TELEGRAM_LIMIT = 4096


async def test_answers_make_items_and_plan_orders_by_priority(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(
        alice, referential, {"EDI-02": "non", "GOV-02": "nsp", "SEN-04": "non", "GOV-01": "oui"}
    )
    await alice.say("/plan")
    text = alice.text()
    titles = [referential.question(q).recommendation.title for q in ("GOV-02", "EDI-02", "SEN-04")]
    positions = [text.index(t) for t in titles]
    assert positions == sorted(positions)  # prioritaire, nécessaire, recommandée
    assert referential.question("GOV-01").recommendation.title not in text
    assert "Plan d’actions : 3 actions sur 3" in text and "À faire 3" in text
    events = fake_db.rows("action_events")
    assert {(e["field"], e["old_value"], e["new_value"]) for e in events} == {
        ("status", None, "a_faire")
    }
    assert len(events) == 3


async def test_pages_fit_a_phone_and_cover_every_item_once(
    alice: ChatDriver, referential: Referential
) -> None:
    questions = referential.level_questions(1)
    await answer(alice, referential, {q.id: "non" for q in questions})
    await alice.say("/plan")
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        reply = alice.last.replies[-1]  # type: ignore[union-attr]
        assert len(reply.text) < TELEGRAM_LIMIT
        assert all(
            len(b.data.encode()) <= MAX_BUTTON_DATA_BYTES for row in reply.buttons for b in row
        )
        seen += [b.data for row in reply.buttons for b in row if b.data.startswith("p:i:")]
        following = [b for row in reply.buttons for b in row if "Suivantes" in b.label]
        if not following:
            break
        await alice.tap(following[0].data)
        assert alice.last.replies[-1].edit  # type: ignore[union-attr]
    assert pages == 6  # 32 items, 6 per page
    assert len(seen) == len(set(seen)) == len(questions)
    await alice.press("Précédentes")
    assert "Page 5/6" in alice.text()


async def test_filters_by_theme_priority_status_and_mine(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(
        alice, referential, {"GOV-01": "non", "GOV-04": "non", "SEN-01": "non", "USA-02": "nsp"}
    )
    await alice.say("/plan")
    await alice.press("Thème")
    await alice.press(referential.theme("GOV").title)
    assert "2 actions sur 4" in alice.text()
    await alice.press("Priorité")
    await alice.press("Nécessaire")
    text = alice.text()
    assert "1 action sur 4" in text
    assert referential.question("GOV-04").recommendation.title in text
    await alice.press("Effacer")
    assert "4 actions sur 4" in alice.text()
    # Status filter: move one item to « en cours », then show only those.
    gov01 = item_id(fake_db, "GOV-01")
    await alice.tap(f"p:s:{gov01}:c")
    await alice.say("/plan")
    await alice.press("Statut")
    await alice.press("En cours")
    assert "1 action sur 4" in alice.text()
    await alice.press("Mes actions")
    assert "Aucune action ne correspond" in alice.text()
    # A forged filter code falls back to the defaults instead of failing.
    await alice.tap("p:l:0:ZZZ.q.y.-")
    assert "4 actions sur 4" in alice.text()
    # Characters no filter code has are refused as button data: the stale-button reply.
    await alice.tap("p:l:0:ZZZ.q.?.m")
    assert "Ce bouton n’est plus valable" in alice.text()


async def test_plan_in_english(
    service: ChatService, referential: Referential, fake_db: FakeDatabase
) -> None:
    driver = ChatDriver.for_user(service, "eve", "Eve")
    await driver.register()
    await driver.tap("l:en")
    await answer(driver, referential, {"GOV-01": "non"})
    await driver.say("/plan")
    assert "Action plan: 1 action out of 1 (open actions)" in driver.text()
    item = item_id(fake_db, "GOV-01")
    await driver.tap(f"p:i:{item}")
    assert "Status: To do" in driver.text()


async def test_empty_plan_and_unregistered(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.say("/plan")
    assert "inscrire votre collectivité" in chat.text()
    await chat.register()
    await chat.say("/plan")
    assert "Votre plan d’actions est vide" in chat.text()
    assert fake_db.count("action_events") == 0
