"""The answers, plan and OPSN aggregates of the fake store, each as the SQL one behaves.

They work on `Tables` inside the fake's unit of work; see `tests.helpers.fake_store`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from dialogs.parsing import fold
from dialogs.ports import PlanMove
from dialogs.records import (
    ITEM_FIELDS,
    OPEN_ATTACHMENT_STATUSES,
    ActionEventInfo,
    ActionItemInfo,
    AreaAverages,
    AttachmentInfo,
    AttachmentStatus,
    CollectiviteInfo,
    CollectiviteStatus,
    ItemOrigin,
    ItemStatus,
    OpsnInfo,
    ScoreRecord,
)
from tests.helpers.fake_data import Row, Tables, dump, record
from tests.helpers.fake_people import by_id, stamp
from tests.helpers.fake_stats import area_averages

CLOSED_FROM = {
    AttachmentStatus.WITHDRAWN: AttachmentStatus.PENDING,
    AttachmentStatus.ENDED: AttachmentStatus.ACCEPTED,
}


def _event_value(value: Any) -> str | None:
    """As storage.plan.event_value writes it, from a JSON value (dates are already ISO)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)[:300]


class FakeAnswers:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def of(self, collectivite_id: int) -> dict[str, str]:
        rows = self.t.where("answers", collectivite_id=collectivite_id)
        return {row["question_id"]: row["value"] for row in rows}

    def set(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
        score: ScoreRecord | None = None,
    ) -> bool:
        current = self.t.one("answers", collectivite_id=collectivite_id, question_id=question_id)
        if (current["value"] if current else None) == value:
            return False
        given = {"referential_version": referential_version, "answered_by": user_id}
        if value is None:
            self.t.delete("answers", [current] if current else [])
        elif current is None:
            self.t.insert(
                "answers",
                collectivite_id=collectivite_id,
                question_id=question_id,
                value=value,
                answered_at=now,
                **given,
            )
        else:
            self.t.update(current, value=value, answered_at=now, **given)
        self.t.insert(
            "answer_history",
            collectivite_id=collectivite_id,
            question_id=question_id,
            value=value,
            answered_at=now,
            **given,
        )
        for row in self.t.where("collectivites", id=collectivite_id):
            self.t.update(row, last_activity_at=now)
        if score is not None:
            self.record_score(collectivite_id, score, user_id=user_id, now=now)
        return True

    def area_averages(self, collectivite_id: int) -> AreaAverages:
        return area_averages(self.t, collectivite_id)

    def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        row = self.t.get("collectivites", collectivite_id)
        if row is None:
            return
        if row["current_index"] == score.index and row["answered_count"] == score.answered:
            return
        self.t.update(
            row,
            current_index=score.index,
            current_grade=score.grade,
            answered_count=score.answered,
            last_activity_at=now,
        )
        self.t.insert(
            "score_snapshots",
            collectivite_id=collectivite_id,
            **dump(score),
            created_by=user_id,
            created_at=now,
        )


class FakePlan:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def _info(self, row: Row) -> ActionItemInfo:
        assignee = self.t.get("users", row["assignee_id"]) if row["assignee_id"] else None
        name = assignee["display_name"] if assignee else None
        opsn = self.t.get("opsn", row["opsn_id"]) if row.get("opsn_id") else None
        return record(
            ActionItemInfo,
            {**row, "assignee_name": name, "opsn_name": opsn["name"] if opsn else None},
        )

    def items(self, collectivite_id: int) -> list[ActionItemInfo]:
        rows = self.t.where("action_items", collectivite_id=collectivite_id)
        return [self._info(row) for row in sorted(rows, key=by_id)]

    def item(self, item_id: int) -> ActionItemInfo | None:
        row = self.t.get("action_items", item_id)
        return self._info(row) if row else None

    def item_for_question(self, collectivite_id: int, question_id: str) -> ActionItemInfo | None:
        row = self.t.one("action_items", collectivite_id=collectivite_id, question_id=question_id)
        return self._info(row) if row else None

    def follow_answer(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        settled: bool,
        actor_id: int | None,
        now: datetime,
    ) -> PlanMove:
        item = self.item_for_question(collectivite_id, question_id)
        if settled:
            if item is None or item.status == ItemStatus.REALISE:
                return PlanMove.NONE
            self.update_item(item.id, {"status": ItemStatus.REALISE}, actor_id=actor_id, now=now)
            return PlanMove.CLOSED
        if item is None:
            self.create_item(collectivite_id, question_id, actor_id=actor_id, now=now)
            return PlanMove.CREATED
        if item.status != ItemStatus.REALISE:
            return PlanMove.NONE
        self.update_item(item.id, {"status": ItemStatus.A_FAIRE}, actor_id=actor_id, now=now)
        return PlanMove.REOPENED

    def create_item(
        self,
        collectivite_id: int,
        question_id: str,
        *,
        actor_id: int | None,
        now: datetime,
        opsn_id: int | None = None,
    ) -> ActionItemInfo:
        return self._create(
            actor_id,
            now,
            collectivite_id=collectivite_id,
            question_id=question_id,
            origin=ItemOrigin.REFERENTIAL.value,
            title=None,
            details=None,
            theme_id=None,
            priority=None,
            opsn_id=opsn_id,
            assignee_id=None,
            due_date=None,
        )

    def create_own_item(
        self,
        collectivite_id: int,
        *,
        origin: ItemOrigin,
        title: str,
        details: str | None,
        theme_id: str | None,
        priority: int,
        due_date: date | None,
        assignee_id: int | None,
        opsn_id: int | None,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        return self._create(
            actor_id,
            now,
            collectivite_id=collectivite_id,
            question_id=None,
            origin=ItemOrigin(origin).value,
            title=title,
            details=details,
            theme_id=theme_id,
            priority=priority,
            opsn_id=opsn_id,
            assignee_id=assignee_id,
            due_date=dump(due_date),
        )

    def _create(self, actor_id: int | None, now: datetime, **fields: Any) -> ActionItemInfo:
        row = self.t.insert(
            "action_items",
            **fields,
            status=ItemStatus.A_FAIRE,
            reason="",
            snoozed_until=None,
            reminders_muted=False,
            reminders_from=now,
            created_at=now,
            updated_at=now,
        )
        self._log(row["id"], actor_id, "status", None, ItemStatus.A_FAIRE.value, now)
        return self._info(row)

    def _log(
        self, item_id: int, actor_id: int | None, field: str, old: Any, new: Any, now: datetime
    ) -> None:
        self.t.insert(
            "action_events",
            action_item_id=item_id,
            actor_id=actor_id,
            field=field,
            old_value=_event_value(old),
            new_value=_event_value(new),
            at=now,
        )

    def delete_own_item(self, item_id: int) -> bool:
        row = self.t.get("action_items", item_id)
        if row is None or row["question_id"] is not None:
            return False
        self.t.delete("action_events", self.t.where("action_events", action_item_id=item_id))
        self.t.delete("action_items", [row])
        return True

    def update_item(
        self,
        item_id: int,
        changes: Mapping[str, object],
        *,
        actor_id: int | None,
        now: datetime,
    ) -> ActionItemInfo:
        unknown = set(changes) - ITEM_FIELDS
        if unknown:
            raise ValueError(f"unknown action item fields: {sorted(unknown)}")
        row = self.t.get("action_items", item_id)
        if row is None:
            raise LookupError(f"action item {item_id} not found")
        moved = False
        for field, new in changes.items():
            value = dump(new)
            if row[field] == value:
                continue
            self._log(item_id, actor_id, field, row[field], value, now)
            self.t.update(row, **{field: value})
            moved = True
        if moved:
            self.t.update(row, updated_at=now, reminders_from=now)
        return self._info(row)

    def events(self, item_id: int, limit: int = 10) -> list[ActionEventInfo]:
        rows = sorted(
            self.t.where("action_events", action_item_id=item_id),
            key=lambda r: (stamp(r["at"]), r["id"]),
            reverse=True,
        )[:limit]
        found = []
        for row in rows:
            actor = self.t.get("users", row["actor_id"]) if row["actor_id"] else None
            name = actor["display_name"] if actor else None
            found.append(record(ActionEventInfo, {**row, "actor_name": name}))
        return found


class FakeOpsn:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def all_opsn(self) -> list[OpsnInfo]:
        found = [record(OpsnInfo, row) for row in self.t.rows("opsn")]
        return sorted(found, key=lambda o: (fold(o.name), o.slug))

    def opsn(self, opsn_id: int) -> OpsnInfo | None:
        row = self.t.get("opsn", opsn_id)
        return record(OpsnInfo, row) if row else None

    def opsn_by_slug(self, slug: str) -> OpsnInfo | None:
        row = self.t.one("opsn", slug=slug)
        return record(OpsnInfo, row) if row else None

    def save_opsn(
        self, slug: str, name: str, departements: tuple[str, ...], now: datetime
    ) -> tuple[OpsnInfo, bool]:
        row = self.t.one("opsn", slug=slug)
        if row is None:
            row = self.t.insert(
                "opsn", slug=slug, name=name, departements=departements, created_at=now
            )
            return record(OpsnInfo, row), True
        self.t.update(row, name=name, departements=departements)
        return record(OpsnInfo, row), False

    def referent_opsn(self, user_id: int) -> list[OpsnInfo]:
        ids = {r["opsn_id"] for r in self.t.where("referents", user_id=user_id)}
        rows = sorted((r for r in self.t.rows("opsn") if r["id"] in ids), key=lambda r: r["name"])
        return [record(OpsnInfo, row) for row in rows]

    def referent_ids(self, opsn_id: int) -> list[int]:
        return [r["user_id"] for r in sorted(self.t.where("referents", opsn_id=opsn_id), key=by_id)]

    def add_referent(self, opsn_id: int, user_id: int, now: datetime) -> bool:
        if self.t.one("referents", opsn_id=opsn_id, user_id=user_id) is not None:
            return False
        self.t.insert("referents", opsn_id=opsn_id, user_id=user_id, created_at=now)
        return True

    def attachment(self, attachment_id: int) -> AttachmentInfo | None:
        row = self.t.get("attachments", attachment_id)
        return record(AttachmentInfo, row) if row else None

    def open_attachment(self, collectivite_id: int) -> AttachmentInfo | None:
        rows = [
            r
            for r in self.t.where("attachments", collectivite_id=collectivite_id)
            if r["status"] in OPEN_ATTACHMENT_STATUSES
        ]
        return record(AttachmentInfo, max(rows, key=by_id)) if rows else None

    def request_attachment(
        self, collectivite_id: int, opsn_id: int, user_id: int, now: datetime
    ) -> AttachmentInfo:
        row = self.t.insert(
            "attachments",
            collectivite_id=collectivite_id,
            opsn_id=opsn_id,
            status=AttachmentStatus.PENDING,
            requested_by=user_id,
            decided_by=None,
            decided_at=None,
            ended_by=None,
            ended_at=None,
            created_at=now,
        )
        return record(AttachmentInfo, row)

    def decide_attachment(
        self, attachment_id: int, accepted: bool, user_id: int, now: datetime
    ) -> bool:
        row = self.t.one("attachments", id=attachment_id, status=AttachmentStatus.PENDING)
        if row is None:
            return False
        status = AttachmentStatus.ACCEPTED if accepted else AttachmentStatus.REFUSED
        self.t.update(row, status=status, decided_by=user_id, decided_at=now)
        if accepted:
            self._set_level2(row, True)
        return True

    def close_attachment(
        self, attachment_id: int, status: AttachmentStatus, user_id: int, now: datetime
    ) -> bool:
        if status not in CLOSED_FROM:
            raise ValueError(status)
        row = self.t.one("attachments", id=attachment_id, status=CLOSED_FROM[status])
        if row is None:
            return False
        self.t.update(row, status=status, ended_by=user_id, ended_at=now)
        if status is AttachmentStatus.ENDED:
            self._set_level2(row, False)
        return True

    def _set_level2(self, attachment: Row, enabled: bool) -> None:
        for row in self.t.where("collectivites", id=attachment["collectivite_id"]):
            self.t.update(row, level2_enabled=enabled)

    def _status(self, row: Row) -> CollectiviteStatus:
        return CollectiviteStatus(
            collectivite=record(CollectiviteInfo, row),
            index=row["current_index"],
            grade=row["current_grade"],
            answered=row["answered_count"],
            last_activity_at=stamp(row["last_activity_at"]),
        )

    def collectivite_status(self, collectivite_id: int) -> CollectiviteStatus | None:
        row = self.t.get("collectivites", collectivite_id)
        return self._status(row) if row else None

    def _with_status(self, opsn_id: int, status: AttachmentStatus) -> list[tuple[Row, Row]]:
        found = []
        for a in self.t.where("attachments", opsn_id=opsn_id, status=status):
            c = self.t.get("collectivites", a["collectivite_id"])
            assert c is not None
            found.append((a, c))
        return found

    def followed(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        pairs = self._with_status(opsn_id, AttachmentStatus.ACCEPTED)
        pairs.sort(key=lambda p: (-stamp(p[1]["last_activity_at"]).timestamp(), p[1]["id"]))
        return [(record(AttachmentInfo, a), self._status(c)) for a, c in pairs]

    def pending_for(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        pairs = sorted(
            self._with_status(opsn_id, AttachmentStatus.PENDING), key=lambda p: p[0]["id"]
        )
        return [(record(AttachmentInfo, a), self._status(c)) for a, c in pairs]
