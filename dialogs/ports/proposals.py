"""Recommendations an OPSN pushes to the collectivités it follows, and their answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from dialogs.records import NewProposal, ProposalInfo, ProposalStatus


class ProposalStore(Protocol):
    """Proposals by OPSN and by collectivité; a decision is taken once."""

    def propose(
        self,
        opsn_id: int,
        collectivite_ids: Sequence[int],
        proposal: NewProposal,
        *,
        created_by: int,
        now: datetime,
    ) -> list[ProposalInfo]:
        """One pending proposal per collectivité, in that order, sharing one batch."""
        ...

    def proposal(self, proposal_id: int) -> ProposalInfo | None: ...

    def of_opsn(
        self, opsn_id: int, status: ProposalStatus | None = None, limit: int = 200
    ) -> list[ProposalInfo]:
        """The OPSN's proposals (with that status when given), newest first."""
        ...

    def decide(
        self,
        proposal_id: int,
        *,
        accepted: bool,
        reason: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        """Accept or decline a pending proposal; False when it is no longer pending."""
        ...

    def link_item(self, proposal_id: int, action_item_id: int) -> None:
        """The plan item an accepted proposal became."""
        ...
