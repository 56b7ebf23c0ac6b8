"""Recommendations pushed by OPSN to the collectivités they follow: storage of `ProposalStore`.

Implements `dialogs.ports.ProposalStore` in the caller's session; nothing here commits. A decision
locks the row and checks it is still pending, so two administrators answering at once cannot both
win.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from dialogs.records import NewProposal, ProposalInfo, ProposalStatus
from storage.models import Collectivite, RecommendationProposal

P = RecommendationProposal


def _select() -> Select[RecommendationProposal, str]:
    # populate_existing: a row already in the session is read again (the database may have set
    # action_item_id to NULL when the team deleted that own action).
    return (
        select(P, Collectivite.name)
        .join(Collectivite, Collectivite.id == P.collectivite_id)
        .execution_options(populate_existing=True)
    )


def proposal_info(row: RecommendationProposal, name: str) -> ProposalInfo:
    return ProposalInfo(
        id=row.id,
        batch=row.batch,
        opsn_id=row.opsn_id,
        collectivite_id=row.collectivite_id,
        collectivite_name=name,
        question_id=row.question_id,
        title=row.title,
        why=row.why,
        how=row.how,
        priority=row.priority,
        due_date=row.due_date,
        status=ProposalStatus(row.status),
        reason=row.reason,
        created_by=row.created_by,
        created_at=row.created_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        action_item_id=row.action_item_id,
    )


class SqlProposals:
    def __init__(self, session: Session) -> None:
        self.session = session

    def propose(
        self,
        opsn_id: int,
        collectivite_ids: Sequence[int],
        proposal: NewProposal,
        *,
        created_by: int,
        now: datetime,
    ) -> list[ProposalInfo]:
        rows: list[RecommendationProposal] = []
        for cid in collectivite_ids:
            row = P(
                batch=rows[0].id if rows else 0,
                opsn_id=opsn_id,
                collectivite_id=cid,
                question_id=proposal.question_id,
                title=proposal.title,
                why=proposal.why,
                how=proposal.how,
                priority=proposal.priority,
                due_date=proposal.due_date,
                status=ProposalStatus.PENDING.value,
                reason="",
                created_by=created_by,
                created_at=now,
                decided_by=None,
                decided_at=None,
                action_item_id=None,
            )
            self.session.add(row)
            self.session.flush()
            if not rows:
                row.batch = row.id  # the batch is named after its first proposal
            rows.append(row)
        self.session.flush()
        found = self.session.execute(
            select(Collectivite.id, Collectivite.name).where(
                Collectivite.id.in_(list(collectivite_ids))
            )
        )
        names = {cid: name for cid, name in found.all()}
        return [proposal_info(row, names.get(row.collectivite_id, "")) for row in rows]

    def proposal(self, proposal_id: int) -> ProposalInfo | None:
        found = self.session.execute(_select().where(P.id == proposal_id)).first()
        return proposal_info(found[0], found[1]) if found else None

    def of_opsn(
        self, opsn_id: int, status: ProposalStatus | None = None, limit: int = 200
    ) -> list[ProposalInfo]:
        query = _select().where(P.opsn_id == opsn_id)
        if status is not None:
            query = query.where(P.status == status.value)
        rows = self.session.execute(query.order_by(P.id.desc()).limit(limit))
        return [proposal_info(row, name) for row, name in rows.all()]

    def decide(
        self,
        proposal_id: int,
        *,
        accepted: bool,
        reason: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        row = self._locked(proposal_id)
        if row is None or row.status != ProposalStatus.PENDING.value:
            return False
        status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.DECLINED
        row.status, row.reason = status.value, reason[:300]
        row.decided_by, row.decided_at = user_id, now
        self.session.flush()
        return True

    def link_item(self, proposal_id: int, action_item_id: int) -> None:
        row = self._locked(proposal_id)
        if row is None:
            raise LookupError(f"proposal {proposal_id} not found")
        row.action_item_id = action_item_id
        self.session.flush()

    def _locked(self, proposal_id: int) -> RecommendationProposal | None:
        # FOR UPDATE: a second decision waits for the first and then sees it (PostgreSQL).
        return self.session.scalar(select(P).where(P.id == proposal_id).with_for_update())
