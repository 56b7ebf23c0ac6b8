"""Contract of `store.answers`: answers, their history, and the score."""

from __future__ import annotations

from datetime import timedelta

from dialogs.ports import Transaction
from dialogs.records import ScoreRecord
from tests.helpers.contract import NOW, collectivite
from tests.helpers.db import StoreBackend


class TestAnswersContract:
    async def test_answers_are_set_changed_and_cleared(self, backend: StoreBackend) -> None:
        async def work(tx: Transaction) -> int:
            answers = tx.store.answers
            cid, uid = await collectivite(tx)
            assert await answers.of(cid) == {}

            async def put(question_id: str, value: str | None) -> bool:
                return await answers.set(
                    cid, question_id, value, referential_version="1", user_id=uid, now=NOW
                )

            assert await put("GOV-01", "non")
            assert not await put("GOV-01", "non")
            assert await put("GOV-01", "oui")
            assert await put("GOV-02", "nsp")
            assert await put("GOV-02", None)
            assert not await put("GOV-03", None)
            assert await answers.of(cid) == {"GOV-01": "oui"}
            assert await answers.of(cid + 100) == {}
            return cid

        cid = await backend.db.run(work)
        history = await backend.rows("answer_history")
        assert [r["value"] for r in history] == ["non", "oui", "nsp", None]
        assert {r["collectivite_id"] for r in history} == {cid}
        (current,) = await backend.rows("answers")
        assert (current["question_id"], current["value"], current["referential_version"]) == (
            "GOV-01",
            "oui",
            "1",
        )

    async def test_an_answer_is_activity(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(hours=3)

        async def work(tx: Transaction) -> None:
            cid, uid = await collectivite(tx)
            await tx.store.answers.set(
                cid, "GOV-01", "oui", referential_version="1", user_id=uid, now=later
            )
            status = await tx.store.opsn.collectivite_status(cid)
            assert status is not None and status.last_activity_at == later

        await backend.db.run(work)

    async def test_score_moves_and_its_history(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(days=1)

        async def work(tx: Transaction) -> None:
            answers = tx.store.answers
            cid, uid = await collectivite(tx)
            fresh = await tx.store.opsn.collectivite_status(cid)
            assert fresh is not None and (fresh.index, fresh.grade, fresh.answered) == (0, "E", 0)
            await answers.record_score(cid, ScoreRecord(40, "C", 3, 30), user_id=uid, now=later)
            await answers.record_score(cid, ScoreRecord(40, "C", 3, 30), user_id=uid, now=later)
            status = await tx.store.opsn.collectivite_status(cid)
            assert status is not None
            assert (status.index, status.grade, status.answered) == (40, "C", 3)
            assert status.last_activity_at == later
            await answers.record_score(cid, ScoreRecord(40, "C", 4, 30), user_id=uid, now=later)
            await answers.record_score(cid + 100, ScoreRecord(1, "E", 1, 30), user_id=uid, now=NOW)

        await backend.db.run(work)
        snapshots = await backend.rows("score_snapshots")
        assert [(s["index"], s["grade"], s["answered"], s["total"]) for s in snapshots] == [
            (40, "C", 3, 30),
            (40, "C", 4, 30),
        ]
