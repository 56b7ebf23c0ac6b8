"""The proposals aggregate of the fake store (`dialogs.ports.ProposalStore`), as SQL behaves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dialogs.records import NewProposal, ProposalInfo, ProposalStatus
from tests.helpers.fake_data import Row, Tables, record

TABLE = "recommendation_proposals"


class FakeProposals:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def _info(self, row: Row) -> ProposalInfo:
        c = self.t.get("collectivites", row["collectivite_id"])
        item = row["action_item_id"]
        if item is not None and self.t.get("action_items", item) is None:
            item = None  # the SQL foreign key is ON DELETE SET NULL
        return record(
            ProposalInfo,
            {**row, "collectivite_name": c["name"] if c else "", "action_item_id": item},
        )

    def propose(
        self,
        opsn_id: int,
        collectivite_ids: Sequence[int],
        proposal: NewProposal,
        *,
        created_by: int,
        now: datetime,
    ) -> list[ProposalInfo]:
        rows: list[Row] = []
        for cid in collectivite_ids:
            row = self.t.insert(
                TABLE,
                batch=rows[0]["id"] if rows else 0,
                opsn_id=opsn_id,
                collectivite_id=cid,
                question_id=proposal.question_id,
                title=proposal.title,
                why=proposal.why,
                how=proposal.how,
                priority=proposal.priority,
                due_date=proposal.due_date,
                status=ProposalStatus.PENDING,
                reason="",
                created_by=created_by,
                created_at=now,
                decided_by=None,
                decided_at=None,
                action_item_id=None,
            )
            if not rows:
                self.t.update(row, batch=row["id"])
            rows.append(row)
        return [self._info(row) for row in rows]

    def proposal(self, proposal_id: int) -> ProposalInfo | None:
        row = self.t.get(TABLE, proposal_id)
        return self._info(row) if row else None

    def of_opsn(
        self, opsn_id: int, status: ProposalStatus | None = None, limit: int = 200
    ) -> list[ProposalInfo]:
        rows = [
            r
            for r in self.t.where(TABLE, opsn_id=opsn_id)
            if status is None or r["status"] == status.value
        ]
        rows.sort(key=lambda r: r["id"], reverse=True)
        return [self._info(r) for r in rows[:limit]]

    def decide(
        self,
        proposal_id: int,
        *,
        accepted: bool,
        reason: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        row = self.t.get(TABLE, proposal_id)
        if row is None or row["status"] != ProposalStatus.PENDING.value:
            return False
        status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.DECLINED
        self.t.update(row, status=status, reason=reason[:300], decided_by=user_id, decided_at=now)
        return True

    def link_item(self, proposal_id: int, action_item_id: int) -> None:
        row = self.t.get(TABLE, proposal_id)
        if row is None:
            raise LookupError(f"proposal {proposal_id} not found")
        self.t.update(row, action_item_id=action_item_id)
