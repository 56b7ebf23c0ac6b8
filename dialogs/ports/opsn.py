"""OPSN, their referents and the attachments of collectivités."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dialogs.records import (
    AttachmentInfo,
    AttachmentStatus,
    CollectiviteStatus,
    OpsnInfo,
)


class OpsnStore(Protocol):
    """OPSN directory, referents and attachments."""

    def all_opsn(self) -> list[OpsnInfo]: ...

    def opsn(self, opsn_id: int) -> OpsnInfo | None: ...

    def opsn_by_slug(self, slug: str) -> OpsnInfo | None: ...

    def save_opsn(
        self, slug: str, name: str, departements: tuple[str, ...], now: datetime
    ) -> tuple[OpsnInfo, bool]:
        """Create or update by slug; returns (opsn, created)."""
        ...

    def referent_opsn(self, user_id: int) -> list[OpsnInfo]: ...

    def referent_ids(self, opsn_id: int) -> list[int]: ...

    def add_referent(self, opsn_id: int, user_id: int, now: datetime) -> bool: ...

    def attachment(self, attachment_id: int) -> AttachmentInfo | None: ...

    def open_attachment(self, collectivite_id: int) -> AttachmentInfo | None:
        """The pending or accepted attachment of a collectivité, if any."""
        ...

    def request_attachment(
        self, collectivite_id: int, opsn_id: int, user_id: int, now: datetime
    ) -> AttachmentInfo: ...

    def decide_attachment(
        self, attachment_id: int, accepted: bool, user_id: int, now: datetime
    ) -> bool:
        """Accept (level 2 on) or refuse a pending request; False when no longer pending."""
        ...

    def close_attachment(
        self, attachment_id: int, status: AttachmentStatus, user_id: int, now: datetime
    ) -> bool:
        """Withdraw a pending request (WITHDRAWN) or end an accepted one (ENDED, level 2 off)."""
        ...

    def collectivite_status(self, collectivite_id: int) -> CollectiviteStatus | None: ...

    def followed(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        """Collectivités whose attachment to this OPSN is accepted, most recently active first."""
        ...

    def pending_for(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]: ...
