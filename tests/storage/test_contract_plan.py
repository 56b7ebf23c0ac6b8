"""Contract of `store.plan`: action items and their change log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs.ports import Transaction
from dialogs.records import ItemOrigin, ItemStatus
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

    def test_own_actions_live_beside_referential_items(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(hours=1)

        def work(tx: Transaction) -> None:
            plan = tx.store.plan
            cid, uid = collectivite(tx)
            bob = person(tx, "2", "Bob")
            ref_item = plan.create_item(cid, "GOV-01", actor_id=None, now=NOW)
            assert ref_item.origin is ItemOrigin.REFERENTIAL and ref_item.title is None
            own = plan.create_own_item(
                cid,
                origin=ItemOrigin.TEAM,
                title="Éteindre les écrans le soir",
                details="Une affichette près de chaque poste.",
                theme_id="GOV",
                priority=3,
                due_date=date(2027, 3, 15),
                assignee_id=bob,
                opsn_id=None,
                actor_id=uid,
                now=NOW,
            )
            second = plan.create_own_item(  # no question: NULLs never collide in the constraint
                cid,
                origin=ItemOrigin.TEAM,
                title="Trier les câbles",
                details=None,
                theme_id=None,
                priority=1,
                due_date=None,
                assignee_id=None,
                opsn_id=None,
                actor_id=uid,
                now=NOW,
            )
            assert (own.question_id, own.origin, own.status) == (
                None,
                ItemOrigin.TEAM,
                ItemStatus.A_FAIRE,
            )
            assert (own.title, own.details, own.theme_id, own.priority) == (
                "Éteindre les écrans le soir",
                "Une affichette près de chaque poste.",
                "GOV",
                3,
            )
            assert (own.assignee_id, own.assignee_name, own.due_date) == (
                bob,
                "Bob",
                date(2027, 3, 15),
            )
            assert (own.opsn_id, own.opsn_name, own.reminders_muted) == (None, None, False)
            assert plan.item(own.id) == own
            assert plan.items(cid) == [ref_item, own, second]
            (created,) = plan.events(own.id)
            assert (created.field, created.new_value, created.actor_id) == (
                "status",
                "a_faire",
                uid,
            )
            changed = plan.update_item(
                own.id,
                {"title": "Éteindre les écrans chaque soir", "priority": 2, "details": None},
                actor_id=uid,
                now=later,
            )
            assert (changed.title, changed.priority, changed.details) == (
                "Éteindre les écrans chaque soir",
                2,
                None,
            )
            logged = {e.field: (e.old_value, e.new_value) for e in plan.events(own.id)}
            assert logged["title"] == (
                "Éteindre les écrans le soir",
                "Éteindre les écrans chaque soir",
            )
            assert logged["priority"] == ("3", "2")
            assert logged["details"] == ("Une affichette près de chaque poste.", None)

        backend.db.run(work)

    def test_an_opsn_proposal_carries_its_opsn(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            cid, _uid = collectivite(tx)
            opsn, _ = tx.store.opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            proposed = tx.store.plan.create_own_item(
                cid,
                origin=ItemOrigin.OPSN,
                title="Mutualiser l’hébergement",
                details="Pourquoi et comment.",
                theme_id=None,
                priority=2,
                due_date=None,
                assignee_id=None,
                opsn_id=opsn.id,
                actor_id=None,
                now=NOW,
            )
            pushed = tx.store.plan.create_item(
                cid, "GOV-01", actor_id=None, now=NOW, opsn_id=opsn.id
            )
            assert (proposed.origin, proposed.opsn_id, proposed.opsn_name) == (
                ItemOrigin.OPSN,
                opsn.id,
                "Opérateur Occitan",
            )
            assert tx.store.plan.item(pushed.id) == pushed
            assert (pushed.opsn_id, pushed.opsn_name) == (opsn.id, "Opérateur Occitan")

        backend.db.run(work)

    def test_only_own_actions_are_deleted_with_their_log(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            plan = tx.store.plan
            cid, uid = collectivite(tx)
            ref_item = plan.create_item(cid, "GOV-01", actor_id=uid, now=NOW)
            own = plan.create_own_item(
                cid,
                origin=ItemOrigin.TEAM,
                title="Trier les câbles",
                details=None,
                theme_id=None,
                priority=1,
                due_date=None,
                assignee_id=None,
                opsn_id=None,
                actor_id=uid,
                now=NOW,
            )
            plan.update_item(own.id, {"status": ItemStatus.EN_COURS}, actor_id=uid, now=NOW)
            assert not plan.delete_own_item(ref_item.id)  # a recommendation follows the answers
            assert plan.delete_own_item(own.id)
            assert not plan.delete_own_item(own.id)  # gone already
            assert plan.item(own.id) is None and plan.events(own.id) == []
            assert plan.items(cid) == [ref_item] and len(plan.events(ref_item.id)) == 1

        backend.db.run(work)
