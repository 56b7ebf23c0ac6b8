"""Collectivité teams: members, invitations, join requests, and the failed deep-link counter.

Every method runs in the caller's session (one transaction per event); nothing here commits. Changes that
race (two admins clicking, one invitation opened twice) are single conditional UPDATEs whose row count
says who won.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.ports import InvitationInfo, JoinRequestInfo, MemberInfo
from storage.models import Collectivite, Invitation, JoinRequest, KeyValue, Membership, User

FAILURES_KEPT = timedelta(days=1)


def _rowcount(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def invitation_info(row: Invitation) -> InvitationInfo:
    return InvitationInfo(
        id=row.id,
        token=row.token,
        kind=row.kind,
        collectivite_id=row.collectivite_id,
        opsn_id=row.opsn_id,
        created_by=row.created_by,
        expires_at=row.expires_at,
        used_by=row.used_by,
    )


class SqlTeam:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def members(self, collectivite_id: int) -> list[MemberInfo]:
        rows = await self.session.execute(
            select(Membership, User.display_name)
            .join(User, User.id == Membership.user_id)
            .where(Membership.collectivite_id == collectivite_id)
            .order_by(Membership.id)
        )
        return [
            MemberInfo(m.user_id, name, m.role, m.function_label, m.created_at)
            for m, name in rows.all()
        ]

    async def add_member(
        self, collectivite_id: int, user_id: int, role: str, now: datetime
    ) -> bool:
        existing = await self.session.scalar(
            select(Membership.id).where(Membership.user_id == user_id)
        )
        if existing is not None:
            return False
        self.session.add(
            Membership(
                collectivite_id=collectivite_id,
                user_id=user_id,
                role=role,
                function_label="",
                created_at=now,
            )
        )
        await self.session.flush()
        await self.session.execute(
            update(Collectivite)
            .where(Collectivite.id == collectivite_id)
            .values(last_activity_at=now)
        )
        return True

    async def remove_member(self, collectivite_id: int, user_id: int) -> bool:
        result = await self.session.execute(
            delete(Membership)
            .where(Membership.collectivite_id == collectivite_id, Membership.user_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def set_role(self, collectivite_id: int, user_id: int, role: str) -> bool:
        result = await self.session.execute(
            update(Membership)
            .where(Membership.collectivite_id == collectivite_id, Membership.user_id == user_id)
            .values(role=role)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def set_function(self, user_id: int, label: str) -> None:
        await self.session.execute(
            update(Membership)
            .where(Membership.user_id == user_id)
            .values(function_label=label)
            .execution_options(synchronize_session=False)
        )

    async def lock_collectivite(self, collectivite_id: int) -> None:
        # FOR UPDATE is dropped on SQLite, where writers are serialised anyway.
        await self.session.execute(
            select(Collectivite.id).where(Collectivite.id == collectivite_id).with_for_update()
        )

    async def create_invitation(
        self,
        *,
        token: str,
        kind: str,
        collectivite_id: int | None,
        opsn_id: int | None,
        created_by: int | None,
        expires_at: datetime,
        now: datetime,
    ) -> InvitationInfo:
        row = Invitation(
            token=token,
            kind=kind,
            collectivite_id=collectivite_id,
            opsn_id=opsn_id,
            created_by=created_by,
            expires_at=expires_at,
            created_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return invitation_info(row)

    async def invitation(self, token: str) -> InvitationInfo | None:
        row = await self.session.scalar(select(Invitation).where(Invitation.token == token))
        return invitation_info(row) if row else None

    async def use_invitation(self, token: str, user_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Invitation)
            .where(
                Invitation.token == token,
                Invitation.used_by.is_(None),
                Invitation.expires_at > now,
            )
            .values(used_by=user_id, used_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def join_request(self, request_id: int) -> JoinRequestInfo | None:
        row = await self.session.get(JoinRequest, request_id)
        if row is None:
            return None
        return JoinRequestInfo(
            row.id, row.collectivite_id, row.user_id, row.status, row.decided_by, row.decided_at
        )

    async def decide_join_request(
        self, request_id: int, status: str, decided_by: int | None, now: datetime
    ) -> bool:
        result = await self.session.execute(
            update(JoinRequest)
            .where(JoinRequest.id == request_id, JoinRequest.status == "pending")
            .values(status=status, decided_by=decided_by, decided_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def cancel_join_requests(self, user_id: int, now: datetime) -> None:
        await self.session.execute(
            update(JoinRequest)
            .where(JoinRequest.user_id == user_id, JoinRequest.status == "pending")
            .values(status="cancelled", decided_at=now)
            .execution_options(synchronize_session=False)
        )

    # Failed deep-link payloads, kept in key_values so that every serving process sees them.

    @staticmethod
    def _failures_key(user_id: int) -> str:
        return f"payload-failures:{user_id}"

    async def _failures(self, user_id: int) -> list[datetime]:
        raw = await self.session.get(KeyValue, self._failures_key(user_id))
        if raw is None:
            return []
        try:
            return [datetime.fromisoformat(stamp) for stamp in json.loads(raw.value)]
        except (ValueError, TypeError):
            return []

    async def payload_failures(self, user_id: int, since: datetime) -> int:
        return sum(1 for stamp in await self._failures(user_id) if stamp >= since)

    async def record_payload_failure(self, user_id: int, now: datetime) -> None:
        kept = [s for s in await self._failures(user_id) if s >= now - FAILURES_KEPT][-49:]
        value = json.dumps([s.isoformat() for s in [*kept, now]])
        row = await self.session.get(KeyValue, self._failures_key(user_id))
        if row is None:
            self.session.add(KeyValue(key=self._failures_key(user_id), value=value))
        else:
            row.value = value
        await self.session.flush()
