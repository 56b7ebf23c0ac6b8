"""Contract of `store.plan`: action items and their change log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs.ports import Transaction
from dialogs.records import ItemStatus
from tests.helpers.contract import NOW, collectivite, person
from tests.helpers.db import StoreBackend


class TestPlanContract:
    def test_items_are_created_found_and_listed(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            plan = tx.store.plan
            cid, uid = collectivite(tx)
            other, _ = collectivite(tx, "9", siret="21600057000012")
            first = plan.create_item(cid, "GOV-02", actor_id=uid, now=NOW)
            second = plan.create_item(cid, "GOV-01", actor_id=None, now=NOW)
            elsewhere = plan.create_item(other, "GOV-02", actor_id=None, now=NOW)
            assert first.status is ItemStatus.A_FAIRE and first.is_open
            assert (first.collectivite_id, first.question_id, first.reason) == (cid, "GOV-02", "")
            assert (first.assignee_id, first.assignee_name, first.due_date) == (None, None, None)
            assert (first.snoozed_until, first.reminders_muted) == (None, False)
            assert first.created_at == first.updated_at == NOW
            assert plan.item(first.id) == first
            assert plan.item(elsewhere.id + 100) is None
            assert plan.item_for_question(cid, "GOV-01") == second
            assert plan.item_for_question(other, "GOV-01") is None
            assert plan.items(cid) == [first, second]
            assert plan.items(other) == [elsewhere]
            (created,) = plan.events(first.id)
            assert (created.field, created.old_value, created.new_value) == (
                "status",
                None,
                "a_faire",
            )
            assert (created.actor_id, created.actor_name, created.at) == (uid, "U", NOW)

        backend.db.run(work)

    def test_updates_log_each_field_that_moved(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(hours=1)

        def work(tx: Transaction) -> None:
            plan = tx.store.plan
            cid, uid = collectivite(tx)
            bob = person(tx, "2", "Bob")
            item = plan.create_item(cid, "GOV-01", actor_id=uid, now=NOW)
            changed = plan.update_item(
                item.id,
                {
                    "status": ItemStatus.EN_COURS,
                    "assignee_id": bob,
                    "due_date": date(2026, 12, 31),
                    "reminders_muted": True,
                    "reason": "",  # unchanged: not logged
                },
                actor_id=uid,
                now=later,
            )
            assert changed.status is ItemStatus.EN_COURS and changed.is_open
            assert (changed.assignee_id, changed.assignee_name) == (bob, "Bob")
            assert (changed.due_date, changed.reminders_muted) == (date(2026, 12, 31), True)
            assert changed.updated_at == later and changed.created_at == NOW
            assert plan.item(item.id) == changed

            same = plan.update_item(
                item.id, {"status": ItemStatus.EN_COURS}, actor_id=bob, now=later + timedelta(1)
            )
            assert same.updated_at == later  # nothing moved
            done = plan.update_item(
                item.id,
                {"status": ItemStatus.NON_RETENU, "reason": "Pas prioritaire", "assignee_id": None},
                actor_id=None,
                now=later + timedelta(hours=1),
            )
            assert not done.is_open and done.assignee_name is None

            events = plan.events(item.id)
            assert [(e.field, e.old_value, e.new_value) for e in events[:3]] == [
                ("assignee_id", str(bob), None),
                ("reason", "", "Pas prioritaire"),
                ("status", "en_cours", "non_retenu"),
            ]  # newest first; one update's fields in reverse order of writing
            assert {(e.field, e.old_value, e.new_value, e.actor_name) for e in events[3:]} == {
                ("status", "a_faire", "en_cours", "U"),
                ("assignee_id", None, str(bob), "U"),
                ("due_date", None, "2026-12-31", "U"),
                ("reminders_muted", "false", "true", "U"),
                ("status", None, "a_faire", "U"),
            }
            assert len(events) == 8 and events[0].at == later + timedelta(hours=1)
            assert len(plan.events(item.id, limit=2)) == 2

            with pytest.raises(ValueError):
                plan.update_item(item.id, {"collectivite_id": 3}, actor_id=None, now=NOW)
            with pytest.raises(LookupError):
                plan.update_item(item.id + 100, {"reason": "x"}, actor_id=None, now=NOW)

        backend.db.run(work)
        item = (backend.rows("action_items"))[0]
        assert item["reminders_from"] == (later + timedelta(hours=1)).isoformat()
