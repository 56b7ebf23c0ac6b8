"""What the plan tests read and arrange on the fake store: items by question, a person in a team."""

from __future__ import annotations

from datetime import date

from dialogs.ports import Transaction
from dialogs.records import ActionItemInfo, ItemOrigin, Role
from referential.models import Priority, Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.contract import NOW
from tests.helpers.fake_data import Row
from tests.helpers.fake_store import FakeDatabase


def item_id(db: FakeDatabase, question_id: str) -> int:
    """The id of the plan item born from that question (one collectivité per test)."""
    found = [r["id"] for r in db.rows("action_items") if r["question_id"] == question_id]
    assert found, question_id
    return int(found[0])


def item_row(db: FakeDatabase, item: int) -> Row:
    """The item as stored: JSON values (statuses as their codes, dates as ISO strings)."""
    found = [r for r in db.rows("action_items") if r["id"] == item]
    assert found, item
    return found[0]


def answer_value(db: FakeDatabase, question_id: str) -> str | None:
    found = [r["value"] for r in db.rows("answers") if r["question_id"] == question_id]
    return found[0] if found else None


async def join_team(
    db: FakeDatabase, driver: ChatDriver, admin_external_id: str, role: Role = Role.MEMBER
) -> int:
    """Put the driver's person in the admin's team (the team flow itself is tested elsewhere)."""
    await driver.say("/start")
    uid = db.user_id(driver.sender.external_id)
    admin_id = db.user_id(admin_external_id)
    now = driver.service.clock()

    def add(tx: Transaction) -> None:
        admin = tx.store.people.membership(admin_id)
        assert admin is not None
        assert tx.store.people.add_member(admin.collectivite.id, uid, role, now)

    db.run(add)
    return uid


TITLE = "Éteindre les écrans le soir"


def add_own(db: FakeDatabase, referential: Referential, external_id: str) -> ActionItemInfo:
    uid = db.user_id(external_id)

    def work(tx: Transaction) -> ActionItemInfo:
        member = tx.store.people.membership(uid)
        assert member is not None
        return tx.store.plan.create_own_item(
            member.collectivite.id,
            origin=ItemOrigin.TEAM,
            title=TITLE,
            details="Une affichette près de chaque poste.",
            theme_id=referential.level_themes(1)[0].id,
            priority=referential.weights[Priority.PRIORITAIRE],
            due_date=date(2026, 12, 1),
            assignee_id=uid,
            opsn_id=None,
            actor_id=uid,
            now=NOW,
        )

    return db.run(work)
