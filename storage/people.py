"""Collectivités and their people: users, join requests, invitations, preferences (memberships and
collectivités in storage.memberships).

Implements `dialogs.ports.PeopleStore` in the caller's session (one transaction per event); nothing
here commits. Changes that race (two admins clicking, one invitation opened twice) are single
conditional UPDATEs whose row count says who won.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dialogs.records import (
    InvitationInfo,
    InvitationKind,
    JoinRequestInfo,
    JoinRequestStatus,
    ReminderPrefs,
    UserInfo,
)
from storage.memberships import SqlMemberships, collectivite_info, rowcount
from storage.models import Invitation, JoinRequest, KeyValue, User

__all__ = ["SqlPeople", "collectivite_info", "invitation_info", "rowcount", "user_info"]

FAILURES_KEPT = timedelta(days=1)
DEFAULT_PREFS = ReminderPrefs(paused=False, digest_weekday=0, digest_hour=9)


def user_info(row: User) -> UserInfo:
    return UserInfo(
        id=row.id,
        channel=row.channel,
        external_id=row.external_id,
        chat_id=row.chat_id,
        display_name=row.display_name,
        locale=row.locale,
        language_code=row.language_code,
    )


def invitation_info(row: Invitation) -> InvitationInfo:
    return InvitationInfo(
        id=row.id,
        token=row.token,
        kind=InvitationKind(row.kind),
        collectivite_id=row.collectivite_id,
        opsn_id=row.opsn_id,
        created_by=row.created_by,
        expires_at=row.expires_at,
        used_by=row.used_by,
    )


def _prefs(user: User) -> ReminderPrefs:
    return ReminderPrefs(user.reminders_paused, user.digest_weekday, user.digest_hour)


class SqlPeople(SqlMemberships):
    """Users, invitations, join requests, preferences; memberships come from SqlMemberships."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # Users

    def user(self, user_id: int) -> UserInfo | None:
        row = self.session.get(User, user_id)
        return user_info(row) if row else None

    def set_locale(self, user_id: int, locale: str | None) -> None:
        self.session.execute(update(User).where(User.id == user_id).values(locale=locale))

    def reminder_prefs(self, user_id: int) -> ReminderPrefs:
        user = self.session.get(User, user_id)
        return _prefs(user) if user is not None else DEFAULT_PREFS

    def set_reminder_prefs(
        self,
        user_id: int,
        *,
        now: datetime,
        paused: bool | None = None,
        digest_weekday: int | None = None,
        digest_hour: int | None = None,
    ) -> ReminderPrefs:
        user = self.session.get(User, user_id)
        if user is None:
            raise LookupError(f"user {user_id} not found")
        if paused is not None and paused != user.reminders_paused:
            user.reminders_paused = paused
            if not paused:
                user.reminders_resumed_at = now  # what fell due during the pause is dropped
        if digest_weekday is not None:
            user.digest_weekday = digest_weekday
        if digest_hour is not None:
            user.digest_hour = digest_hour
        self.session.flush()
        return _prefs(user)

    # Join requests

    def request_join(self, collectivite_id: int, user_id: int, now: datetime) -> tuple[int, bool]:
        existing = self.session.scalar(
            select(JoinRequest.id).where(
                JoinRequest.collectivite_id == collectivite_id,
                JoinRequest.user_id == user_id,
                JoinRequest.status == JoinRequestStatus.PENDING,
            )
        )
        if existing is not None:
            return existing, False
        request = JoinRequest(
            collectivite_id=collectivite_id,
            user_id=user_id,
            status=JoinRequestStatus.PENDING,
            created_at=now,
        )
        self.session.add(request)
        self.session.flush()
        return request.id, True

    def join_request(self, request_id: int) -> JoinRequestInfo | None:
        row = self.session.get(JoinRequest, request_id, populate_existing=True)
        if row is None:
            return None
        return JoinRequestInfo(
            row.id,
            row.collectivite_id,
            row.user_id,
            JoinRequestStatus(row.status),
            row.decided_by,
            row.decided_at,
        )

    def decide_join_request(
        self, request_id: int, status: JoinRequestStatus, decided_by: int | None, now: datetime
    ) -> bool:
        result = self.session.execute(
            update(JoinRequest)
            .where(JoinRequest.id == request_id, JoinRequest.status == JoinRequestStatus.PENDING)
            .values(status=status, decided_by=decided_by, decided_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def cancel_join_requests(
        self, user_id: int, now: datetime, collectivite_id: int | None = None
    ) -> None:
        query = update(JoinRequest).where(
            JoinRequest.user_id == user_id, JoinRequest.status == JoinRequestStatus.PENDING
        )
        if collectivite_id is not None:
            query = query.where(JoinRequest.collectivite_id == collectivite_id)
        self.session.execute(
            query.values(status=JoinRequestStatus.CANCELLED, decided_at=now).execution_options(
                synchronize_session=False
            )
        )

    # Invitations (single-use deep links)

    def create_invitation(
        self,
        *,
        token: str,
        kind: InvitationKind,
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
        self.session.flush()
        return invitation_info(row)

    def invitation(self, token: str) -> InvitationInfo | None:
        row = self.session.scalar(
            select(Invitation)
            .where(Invitation.token == token)
            .execution_options(populate_existing=True)
        )
        return invitation_info(row) if row else None

    def use_invitation(self, token: str, user_id: int, now: datetime) -> bool:
        result = self.session.execute(
            update(Invitation)
            .where(
                Invitation.token == token,
                Invitation.used_by.is_(None),
                Invitation.expires_at > now,
            )
            .values(used_by=user_id, used_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def pending_invitations(self, collectivite_id: int, now: datetime) -> list[InvitationInfo]:
        rows = self.session.scalars(
            select(Invitation)
            .where(
                Invitation.collectivite_id == collectivite_id,
                Invitation.kind == InvitationKind.MEMBER,
                Invitation.used_by.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.id)
        )
        return [invitation_info(row) for row in rows]

    def revoke_invitation(self, invitation_id: int, collectivite_id: int, now: datetime) -> bool:
        result = self.session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation_id,
                Invitation.collectivite_id == collectivite_id,
                Invitation.used_by.is_(None),
                Invitation.expires_at > now,
            )
            .values(expires_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    # Failed deep-link payloads, kept in key_values so that every serving process sees them.

    @staticmethod
    def _failures_key(user_id: int) -> str:
        return f"payload-failures:{user_id}"

    def _failures(self, user_id: int) -> list[datetime]:
        raw = self.session.get(KeyValue, self._failures_key(user_id))
        if raw is None:
            return []
        try:
            return [datetime.fromisoformat(stamp) for stamp in json.loads(raw.value)]
        except (ValueError, TypeError):
            return []

    def payload_failures(self, user_id: int, since: datetime) -> int:
        return sum(1 for stamp in self._failures(user_id) if stamp >= since)

    def record_payload_failure(self, user_id: int, now: datetime) -> None:
        kept = [s for s in self._failures(user_id) if s >= now - FAILURES_KEPT][-49:]
        value = json.dumps([s.isoformat() for s in [*kept, now]])
        row = self.session.get(KeyValue, self._failures_key(user_id))
        if row is None:
            self.session.add(KeyValue(key=self._failures_key(user_id), value=value))
        else:
            row.value = value
        self.session.flush()
