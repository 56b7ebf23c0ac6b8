"""The in-memory `RoadmapStore`: the team's target and the score history."""

from __future__ import annotations

from datetime import date, datetime

from dialogs.records import ScorePoint, TargetInfo
from tests.helpers.fake_data import Tables, record


class FakeRoadmap:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def target(self, collectivite_id: int) -> TargetInfo | None:
        row = self.t.one("targets", collectivite_id=collectivite_id)
        return record(TargetInfo, row) if row is not None else None

    def set_target(
        self,
        collectivite_id: int,
        *,
        grade: str | None,
        index: int | None,
        due_date: date,
        user_id: int | None,
        now: datetime,
    ) -> TargetInfo:
        if (grade is None) == (index is None):
            raise ValueError("a target is either a letter or an index")
        values = {"grade": grade, "index": index, "due_date": due_date, "set_by": user_id}
        row = self.t.one("targets", collectivite_id=collectivite_id)
        if row is None:
            self.t.insert("targets", collectivite_id=collectivite_id, **values, set_at=now)
        else:
            self.t.update(row, **values, set_at=now)
        found = self.target(collectivite_id)
        assert found is not None
        return found

    def clear_target(self, collectivite_id: int) -> bool:
        return (
            self.t.delete("targets", self.t.where("targets", collectivite_id=collectivite_id)) > 0
        )

    def history(self, collectivite_id: int) -> list[ScorePoint]:
        rows = self.t.where("score_snapshots", collectivite_id=collectivite_id)
        rows.sort(key=lambda row: (row["created_at"], row["id"]))
        return [record(ScorePoint, {**row, "at": row["created_at"]}) for row in rows]
