"""Contract of `store.answers`: answers, their history, and the score."""

from __future__ import annotations

from datetime import timedelta

from dialogs.ports import Transaction
from dialogs.records import ScoreRecord
from tests.helpers.contract import NOW, collectivite
from tests.helpers.db import StoreBackend


class TestAnswersContract:
    def test_answers_are_set_changed_and_cleared(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> int:
            answers = tx.store.answers
            cid, uid = collectivite(tx)
            assert answers.of(cid) == {}

            def put(question_id: str, value: str | None) -> bool:
                return answers.set(
                    cid, question_id, value, referential_version="1", user_id=uid, now=NOW
                )

            assert put("GOV-01", "non")
            assert not put("GOV-01", "non")
            assert put("GOV-01", "oui")
            assert put("GOV-02", "nsp")
            assert put("GOV-02", None)
            assert not put("GOV-03", None)
            assert answers.of(cid) == {"GOV-01": "oui"}
            assert answers.of(cid + 100) == {}
            return cid

        cid = backend.db.run(work)
        history = backend.rows("answer_history")
        assert [r["value"] for r in history] == ["non", "oui", "nsp", None]
        assert {r["collectivite_id"] for r in history} == {cid}
        (current,) = backend.rows("answers")
        assert (current["question_id"], current["value"], current["referential_version"]) == (
            "GOV-01",
            "oui",
            "1",
        )

    def test_an_answer_is_activity(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(hours=3)

        def work(tx: Transaction) -> None:
            cid, uid = collectivite(tx)
            tx.store.answers.set(
                cid, "GOV-01", "oui", referential_version="1", user_id=uid, now=later
            )
            status = tx.store.opsn.collectivite_status(cid)
            assert status is not None and status.last_activity_at == later

        backend.db.run(work)

    def test_score_moves_and_its_history(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(days=1)

        def work(tx: Transaction) -> None:
            answers = tx.store.answers
            cid, uid = collectivite(tx)
            fresh = tx.store.opsn.collectivite_status(cid)
            assert fresh is not None and (fresh.index, fresh.grade, fresh.answered) == (0, "E", 0)
            answers.record_score(cid, ScoreRecord(40, "C", 3, 30), user_id=uid, now=later)
            answers.record_score(cid, ScoreRecord(40, "C", 3, 30), user_id=uid, now=later)
            status = tx.store.opsn.collectivite_status(cid)
            assert status is not None
            assert (status.index, status.grade, status.answered) == (40, "C", 3)
            assert status.last_activity_at == later
            answers.record_score(cid, ScoreRecord(40, "C", 4, 30), user_id=uid, now=later)
            answers.record_score(cid + 100, ScoreRecord(1, "E", 1, 30), user_id=uid, now=NOW)

        backend.db.run(work)
        snapshots = backend.rows("score_snapshots")
        assert [(s["index"], s["grade"], s["answered"], s["total"]) for s in snapshots] == [
            (40, "C", 3, 30),
            (40, "C", 4, 30),
        ]

    def test_a_level2_text_answer_is_kept_whole(self, backend: StoreBackend) -> None:
        """Level-2 text answers (up to 300 characters) and dates fit answers and their history."""
        long_text = "Adjointe chargée de l’environnement, " * 8
        long_text = long_text[:300].strip()

        def work(tx: Transaction) -> None:
            cid, uid = collectivite(tx)
            for qid, value in (("GOV2-02", long_text), ("GOV2-05", "2027-03-15")):
                assert tx.store.answers.set(
                    cid, qid, value, referential_version="2", user_id=uid, now=NOW
                )
            assert tx.store.answers.of(cid) == {"GOV2-02": long_text, "GOV2-05": "2027-03-15"}

        backend.db.run(work)
        assert [r["value"] for r in backend.rows("answer_history")] == [long_text, "2027-03-15"]
        assert {r["answered_by"] for r in backend.rows("answers")} != {None}
