"""Issue 15 item 5: when someone else marks an action réalisé, each administrator gets one short
notification a day listing what was done (through the service on the fake store)."""

from __future__ import annotations

from datetime import timedelta

from dialogs.records import Role
from referential.models import Referential
from tests.dialogs.plan.steps import item_id, join_team
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase, OutboxRow
from tests.helpers.plan import Clock, answer, paris

QUESTIONS = {"GOV-01": "non", "GOV-02": "non", "SEN-01": "non"}


def notices(db: FakeDatabase, external_id: str) -> list[OutboxRow]:
    uid = db.user_id(external_id)
    return [row for row in db.outbox("closed:") if row.user_id == uid]


def title(referential: Referential, question_id: str) -> str:
    return referential.question(question_id).advice().title


async def team(alice: ChatDriver, fake_db: FakeDatabase, referential: Referential) -> ChatDriver:
    """Alice (admin) answers; Bruno joins as an agent (not an administrator)."""
    await answer(alice, referential, QUESTIONS)
    bruno = ChatDriver.for_user(alice.service, "bruno", "Bruno")
    await join_team(fake_db, bruno, "alice")
    return bruno


async def test_two_closes_by_an_agent_make_one_notification_listing_both(
    alice: ChatDriver, fake_db: FakeDatabase, referential: Referential, clock: Clock
) -> None:
    bruno = await team(alice, fake_db, referential)
    await bruno.tap(f"p:s:{item_id(fake_db, 'GOV-01')}:r")  # the status button on the card
    clock.now += timedelta(hours=2)
    await bruno.tap(f"rm:done:{item_id(fake_db, 'GOV-02')}")  # « Fait » in a reminder
    (notice,) = notices(fake_db, "alice")
    assert notice.key == f"closed:{fake_db.user_id('alice')}:1:2026-11-23"
    assert notice.status == "pending" and notice.next_attempt_at == paris(2026, 11, 23, 17)
    assert notice.created_at == paris(2026, 11, 23, 10)  # the first close queued it
    text = notice.reply.text
    assert text.startswith("2 actions du plan ont été marquées réalisées :")
    assert f"• {title(referential, 'GOV-01')} — par Bruno" in text
    assert f"• {title(referential, 'GOV-02')} — par Bruno" in text
    assert [b.data for row in notice.reply.buttons for b in row] == ["p:l"]
    assert notices(fake_db, "bruno") == []  # the actor is not told (and is no admin)


async def test_the_actor_is_not_told_the_other_administrators_are(
    alice: ChatDriver, fake_db: FakeDatabase, referential: Referential
) -> None:
    await team(alice, fake_db, referential)
    chloe = ChatDriver.for_user(alice.service, "chloe", "Chloé", "en")
    await join_team(fake_db, chloe, "alice", Role.ADMIN)
    await alice.tap(f"p:s:{item_id(fake_db, 'GOV-01')}:r")
    assert notices(fake_db, "alice") == [] and notices(fake_db, "bruno") == []
    (notice,) = notices(fake_db, "chloe")
    assert notice.reply.text.splitlines() == [
        "An action of the plan was marked done:",
        f"• {title(referential.translated('en'), 'GOV-01')} — by Alice",  # in her language
    ]
    await chloe.tap(f"p:s:{item_id(fake_db, 'GOV-02')}:r")  # an admin's close: Alice is told
    (for_alice,) = notices(fake_db, "alice")
    assert f"{title(referential, 'GOV-02')} — par Chloé" in for_alice.reply.text
    assert title(referential, "GOV-01") not in for_alice.reply.text  # her own close
    (for_chloe,) = notices(fake_db, "chloe")
    assert title(referential, "GOV-02") not in for_chloe.reply.text


async def test_an_answer_changed_to_oui_that_closes_the_item_is_told(
    alice: ChatDriver, fake_db: FakeDatabase, referential: Referential
) -> None:
    bruno = await team(alice, fake_db, referential)
    await bruno.tap("a:SEN-01:oui")
    (notice,) = notices(fake_db, "alice")
    assert f"• {title(referential, 'SEN-01')} — par Bruno" in notice.reply.text
    # Alice confirming the answer after her own close tells nobody (she is the only admin).
    await alice.tap(f"p:s:{item_id(fake_db, 'GOV-01')}:r")
    await alice.press("Oui, mettre à jour")
    assert len(fake_db.outbox("closed:")) == 1


async def test_a_close_after_the_hour_or_after_the_send_goes_into_the_next_day(
    alice: ChatDriver, fake_db: FakeDatabase, referential: Referential, clock: Clock
) -> None:
    bruno = await team(alice, fake_db, referential)
    await bruno.tap(f"p:s:{item_id(fake_db, 'GOV-01')}:r")
    clock.now = paris(2026, 11, 23, 16, 59)
    (today,) = notices(fake_db, "alice")
    for row in fake_db.tables.rows("outbox"):  # the dispatcher claimed today's message
        row["status"] = "sent"
    await bruno.tap(f"p:s:{item_id(fake_db, 'GOV-02')}:r")
    clock.now = paris(2026, 11, 23, 18)
    await bruno.tap(f"p:s:{item_id(fake_db, 'SEN-01')}:r")
    first, second = notices(fake_db, "alice")
    assert first.key == today.key and first.reply.text == today.reply.text
    assert second.key.endswith(":2026-11-24") and second.status == "pending"
    assert second.next_attempt_at == paris(2026, 11, 24, 17)
    assert second.reply.text.startswith("2 actions du plan")
    assert title(referential, "GOV-01") not in second.reply.text  # told already
