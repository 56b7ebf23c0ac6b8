"""Contract of `store.roadmap`: the team's target and the score history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs.ports import Transaction
from dialogs.records import ScoreRecord
from tests.helpers.contract import NOW, collectivite
from tests.helpers.db import StoreBackend


class TestRoadmapContract:
    def test_a_target_is_set_replaced_and_cleared(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            roadmap = tx.store.roadmap
            cid, uid = collectivite(tx)
            other, _ = collectivite(tx, "9", siret="21600057000012")
            assert roadmap.target(cid) is None
            first = roadmap.set_target(
                cid, grade="B", index=None, due_date=date(2027, 6, 30), user_id=uid, now=NOW
            )
            assert (first.grade, first.index, first.due_date) == ("B", None, date(2027, 6, 30))
            assert (first.set_by, first.set_at) == (uid, NOW)
            assert roadmap.target(cid) == first
            later = NOW + timedelta(days=1)
            second = roadmap.set_target(
                cid, grade=None, index=70, due_date=date(2028, 1, 31), user_id=None, now=later
            )
            assert (second.grade, second.index, second.set_by, second.set_at) == (
                None,
                70,
                None,
                later,
            )
            assert roadmap.target(other) is None
            assert roadmap.clear_target(cid) is True
            assert roadmap.clear_target(cid) is False
            assert roadmap.target(cid) is None

        backend.db.run(work)

    def test_a_target_is_a_letter_or_an_index_never_both(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            cid, uid = collectivite(tx)
            with pytest.raises(ValueError):
                tx.store.roadmap.set_target(
                    cid, grade="B", index=70, due_date=date(2027, 1, 1), user_id=uid, now=NOW
                )

        backend.db.run(work)

    def test_history_lists_score_changes_oldest_first(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            cid, uid = collectivite(tx)
            assert tx.store.roadmap.history(cid) == []
            answers = tx.store.answers
            answers.record_score(cid, ScoreRecord(20, "D", 3, 32), user_id=uid, now=NOW)
            later = NOW + timedelta(hours=2)
            answers.record_score(cid, ScoreRecord(45, "C", 9, 32), user_id=uid, now=later)
            points = tx.store.roadmap.history(cid)
            assert [(p.at, p.index, p.grade, p.answered, p.total) for p in points] == [
                (NOW, 20, "D", 3, 32),
                (later, 45, "C", 9, 32),
            ]

        backend.db.run(work)
