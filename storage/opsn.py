"""OPSN directory, referents and attachments of collectivités to an OPSN.

Implements `dialogs.ports.OpsnStore` in the caller's session. A collectivité has at most one open
(pending or accepted) attachment: callers lock the collectivité row first
(`people.lock_collectivite`), then check and insert. Decisions are conditional UPDATEs, so a second
click on "Accepter" changes nothing and can say who decided.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dialogs.parsing import fold
from dialogs.records import (
    OPEN_ATTACHMENT_STATUSES,
    AttachmentInfo,
    AttachmentStatus,
    CollectiviteStatus,
    OpsnInfo,
)
from storage.models import Attachment, Collectivite, Opsn, Referent
from storage.people import collectivite_info, rowcount

# What a pending request may become when closed, and from which status.
CLOSED_FROM = {
    AttachmentStatus.WITHDRAWN: AttachmentStatus.PENDING,
    AttachmentStatus.ENDED: AttachmentStatus.ACCEPTED,
}


def opsn_info(row: Opsn) -> OpsnInfo:
    return OpsnInfo(row.id, row.slug, row.name, tuple(str(d) for d in row.departements or ()))


def attachment_info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.id,
        collectivite_id=row.collectivite_id,
        opsn_id=row.opsn_id,
        status=AttachmentStatus(row.status),
        requested_by=row.requested_by,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        ended_by=row.ended_by,
        ended_at=row.ended_at,
        created_at=row.created_at,
    )


def status_of(row: Collectivite) -> CollectiviteStatus:
    return CollectiviteStatus(
        collectivite=collectivite_info(row),
        index=row.current_index,
        grade=row.current_grade,
        answered=row.answered_count,
        last_activity_at=row.last_activity_at,
    )


class SqlOpsn:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all_opsn(self) -> list[OpsnInfo]:
        rows = self.session.scalars(select(Opsn))
        return sorted((opsn_info(row) for row in rows), key=lambda o: (fold(o.name), o.slug))

    def opsn(self, opsn_id: int) -> OpsnInfo | None:
        row = self.session.get(Opsn, opsn_id)
        return opsn_info(row) if row else None

    def opsn_by_slug(self, slug: str) -> OpsnInfo | None:
        row = self.session.scalar(select(Opsn).where(Opsn.slug == slug))
        return opsn_info(row) if row else None

    def save_opsn(
        self, slug: str, name: str, departements: tuple[str, ...], now: datetime
    ) -> tuple[OpsnInfo, bool]:
        row = self.session.scalar(select(Opsn).where(Opsn.slug == slug))
        created = row is None
        if row is None:
            row = Opsn(slug=slug, name=name, departements=list(departements), created_at=now)
            self.session.add(row)
        else:
            row.name = name
            row.departements = list(departements)
        self.session.flush()
        return opsn_info(row), created

    def referent_opsn(self, user_id: int) -> list[OpsnInfo]:
        rows = self.session.scalars(
            select(Opsn)
            .join(Referent, Referent.opsn_id == Opsn.id)
            .where(Referent.user_id == user_id)
            .order_by(Opsn.name)
        )
        return [opsn_info(row) for row in rows]

    def referent_ids(self, opsn_id: int) -> list[int]:
        rows = self.session.scalars(
            select(Referent.user_id).where(Referent.opsn_id == opsn_id).order_by(Referent.id)
        )
        return list(rows)

    def add_referent(self, opsn_id: int, user_id: int, now: datetime) -> bool:
        existing = self.session.scalar(
            select(Referent.id).where(Referent.opsn_id == opsn_id, Referent.user_id == user_id)
        )
        if existing is not None:
            return False
        self.session.add(Referent(opsn_id=opsn_id, user_id=user_id, created_at=now))
        self.session.flush()
        return True

    def attachment(self, attachment_id: int) -> AttachmentInfo | None:
        row = self.session.get(Attachment, attachment_id, populate_existing=True)
        return attachment_info(row) if row else None

    def open_attachment(self, collectivite_id: int) -> AttachmentInfo | None:
        row = self.session.scalar(
            select(Attachment)
            .where(
                Attachment.collectivite_id == collectivite_id,
                Attachment.status.in_(OPEN_ATTACHMENT_STATUSES),
            )
            .order_by(Attachment.id.desc())
            .execution_options(populate_existing=True)
        )
        return attachment_info(row) if row else None

    def request_attachment(
        self, collectivite_id: int, opsn_id: int, user_id: int, now: datetime
    ) -> AttachmentInfo:
        row = Attachment(
            collectivite_id=collectivite_id,
            opsn_id=opsn_id,
            status=AttachmentStatus.PENDING,
            requested_by=user_id,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return attachment_info(row)

    def decide_attachment(
        self, attachment_id: int, accepted: bool, user_id: int, now: datetime
    ) -> bool:
        result = self.session.execute(
            update(Attachment)
            .where(Attachment.id == attachment_id, Attachment.status == AttachmentStatus.PENDING)
            .values(
                status=AttachmentStatus.ACCEPTED if accepted else AttachmentStatus.REFUSED,
                decided_by=user_id,
                decided_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            return False
        if accepted:
            self._set_level2(attachment_id, True)
        return True

    def close_attachment(
        self, attachment_id: int, status: AttachmentStatus, user_id: int, now: datetime
    ) -> bool:
        if status not in CLOSED_FROM:
            raise ValueError(status)
        current = CLOSED_FROM[status]
        result = self.session.execute(
            update(Attachment)
            .where(Attachment.id == attachment_id, Attachment.status == current)
            .values(status=status, ended_by=user_id, ended_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            return False
        if status is AttachmentStatus.ENDED:
            self._set_level2(attachment_id, False)
        return True

    def _set_level2(self, attachment_id: int, enabled: bool) -> None:
        collectivite_id = select(Attachment.collectivite_id).where(Attachment.id == attachment_id)
        self.session.execute(
            update(Collectivite)
            .where(Collectivite.id == collectivite_id.scalar_subquery())
            .values(level2_enabled=enabled)
            .execution_options(synchronize_session=False)
        )

    def collectivite_status(self, collectivite_id: int) -> CollectiviteStatus | None:
        row = self.session.get(Collectivite, collectivite_id, populate_existing=True)
        return status_of(row) if row else None

    def followed(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        rows = self.session.execute(
            select(Attachment, Collectivite)
            .join(Collectivite, Collectivite.id == Attachment.collectivite_id)
            .where(Attachment.opsn_id == opsn_id, Attachment.status == AttachmentStatus.ACCEPTED)
            .order_by(Collectivite.last_activity_at.desc(), Collectivite.id)
            .execution_options(populate_existing=True)
        )
        return [(attachment_info(a), status_of(c)) for a, c in rows.all()]

    def pending_for(self, opsn_id: int) -> list[tuple[AttachmentInfo, CollectiviteStatus]]:
        rows = self.session.execute(
            select(Attachment, Collectivite)
            .join(Collectivite, Collectivite.id == Attachment.collectivite_id)
            .where(Attachment.opsn_id == opsn_id, Attachment.status == AttachmentStatus.PENDING)
            .order_by(Attachment.id)
            .execution_options(populate_existing=True)
        )
        return [(attachment_info(a), status_of(c)) for a, c in rows.all()]
