"""The people aggregate of the fake store: collectivités, teams, join requests, invitations.

Works on `Tables` inside the fake's unit of work, as storage/people.py does in SQL.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from dialogs.records import (
    CollectiviteInfo,
    InvitationInfo,
    InvitationKind,
    JoinRequestInfo,
    JoinRequestStatus,
    MemberInfo,
    MembershipInfo,
    NewCollectivite,
    ReminderPrefs,
    Role,
    UserInfo,
)
from tests.helpers.fake_data import Row, Tables, dump, record

FAILURES_KEPT = timedelta(days=1)


def stamp(value: Any) -> datetime:
    return datetime.fromisoformat(value)


def by_id(row: Row) -> Any:
    return row["id"]


def _prefs(user: Row) -> ReminderPrefs:
    return ReminderPrefs(user["reminders_paused"], user["digest_weekday"], user["digest_hour"])


class FakePeople:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def _collectivite(self, collectivite_id: int) -> CollectiviteInfo:
        row = self.t.get("collectivites", collectivite_id)
        assert row is not None
        return record(CollectiviteInfo, row)

    def user(self, user_id: int) -> UserInfo | None:
        row = self.t.get("users", user_id)
        return record(UserInfo, row) if row else None

    def set_locale(self, user_id: int, locale: str | None) -> None:
        for row in self.t.where("users", id=user_id):
            self.t.update(row, locale=locale)

    def reminder_prefs(self, user_id: int) -> ReminderPrefs:
        row = self.t.get("users", user_id)
        return _prefs(row) if row else ReminderPrefs(False, 0, 9)

    def set_reminder_prefs(
        self,
        user_id: int,
        *,
        now: datetime,
        paused: bool | None = None,
        digest_weekday: int | None = None,
        digest_hour: int | None = None,
    ) -> ReminderPrefs:
        row = self.t.get("users", user_id)
        if row is None:
            raise LookupError(f"user {user_id} not found")
        if paused is not None and paused != row["reminders_paused"]:
            self.t.update(row, reminders_paused=paused)
            if not paused:
                self.t.update(row, reminders_resumed_at=now)
        if digest_weekday is not None:
            self.t.update(row, digest_weekday=digest_weekday)
        if digest_hour is not None:
            self.t.update(row, digest_hour=digest_hour)
        return _prefs(row)

    def _active_first(self, user_id: int) -> list[Row]:
        """The person's memberships, active first: chosen last, else joined first."""
        rows = sorted(self.t.where("memberships", user_id=user_id), key=by_id)
        chosen = sorted(
            (r for r in rows if r["chosen_rank"] is not None), key=lambda r: -r["chosen_rank"]
        )
        return chosen + [r for r in rows if r["chosen_rank"] is None]

    def _next_rank(self, user_id: int) -> int:
        ranks = [r["chosen_rank"] or 0 for r in self.t.where("memberships", user_id=user_id)]
        return max(ranks, default=0) + 1

    def _info(self, row: Row, count: int) -> MembershipInfo:
        collectivite = self._collectivite(row["collectivite_id"])
        return MembershipInfo(collectivite, Role(row["role"]), row["function_label"], count)

    def memberships(self, user_id: int) -> list[MembershipInfo]:
        rows = self._active_first(user_id)
        return [self._info(row, len(rows)) for row in rows]

    def membership(self, user_id: int) -> MembershipInfo | None:
        found = self.memberships(user_id)
        return found[0] if found else None

    def membership_in(self, user_id: int, collectivite_id: int) -> MembershipInfo | None:
        row = self.t.one("memberships", user_id=user_id, collectivite_id=collectivite_id)
        if row is None:
            return None
        return self._info(row, len(self.t.where("memberships", user_id=user_id)))

    def set_active(self, user_id: int, collectivite_id: int) -> bool:
        row = self.t.one("memberships", user_id=user_id, collectivite_id=collectivite_id)
        if row is None:
            return False
        self.t.update(row, chosen_rank=self._next_rank(user_id))
        return True

    def update_collectivite(
        self,
        collectivite_id: int,
        *,
        name: str | None = None,
        kind: str | None = None,
        departement: str | None = None,
        population: int | None = None,
    ) -> CollectiviteInfo | None:
        """Peer bins are not kept by the fake (see tests.helpers.fake_store): a row update."""
        row = self.t.get("collectivites", collectivite_id)
        if row is None:
            return None
        given = {"name": name, "kind": kind, "departement": departement, "population": population}
        self.t.update(row, **{k: v for k, v in given.items() if v is not None})
        return record(CollectiviteInfo, row)

    def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None:
        row = self.t.one("collectivites", siret=siret)
        return record(CollectiviteInfo, row) if row else None

    def create_collectivite(
        self, new: NewCollectivite, admin_user_id: int, now: datetime
    ) -> CollectiviteInfo:
        row = self.t.insert(
            "collectivites",
            **dump(new),
            level2_enabled=False,
            current_index=0,
            current_grade="E",
            answered_count=0,
            referential_version="",
            created_at=now,
            last_activity_at=now,
        )
        self.t.insert(
            "memberships",
            collectivite_id=row["id"],
            user_id=admin_user_id,
            role=Role.ADMIN,
            function_label="",
            created_at=now,
            chosen_rank=self._next_rank(admin_user_id),
        )
        return record(CollectiviteInfo, row)

    def lock_collectivite(self, collectivite_id: int) -> None:
        """Units of work of the fake take turns already."""

    def members(self, collectivite_id: int) -> list[MemberInfo]:
        found = []
        for m in sorted(self.t.where("memberships", collectivite_id=collectivite_id), key=by_id):
            user = self.t.get("users", m["user_id"])
            assert user is not None
            found.append(
                MemberInfo(
                    m["user_id"],
                    user["display_name"],
                    Role(m["role"]),
                    m["function_label"],
                    stamp(m["created_at"]),
                )
            )
        return found

    def add_member(self, collectivite_id: int, user_id: int, role: Role, now: datetime) -> bool:
        if self.t.one("memberships", user_id=user_id, collectivite_id=collectivite_id):
            return False
        self.t.insert(
            "memberships",
            collectivite_id=collectivite_id,
            user_id=user_id,
            role=role,
            function_label="",
            created_at=now,
            chosen_rank=self._next_rank(user_id),
        )
        for row in self.t.where("collectivites", id=collectivite_id):
            self.t.update(row, last_activity_at=now)
        return True

    def remove_member(self, collectivite_id: int, user_id: int) -> bool:
        found = self.t.where("memberships", collectivite_id=collectivite_id, user_id=user_id)
        return self.t.delete("memberships", found) == 1

    def set_role(self, collectivite_id: int, user_id: int, role: Role) -> bool:
        found = self.t.where("memberships", collectivite_id=collectivite_id, user_id=user_id)
        for row in found:
            self.t.update(row, role=role)
        return len(found) == 1

    def set_function(self, user_id: int, label: str, collectivite_id: int | None = None) -> None:
        for row in self.t.where("memberships", user_id=user_id):
            if collectivite_id is None or row["collectivite_id"] == collectivite_id:
                self.t.update(row, function_label=label)

    def request_join(self, collectivite_id: int, user_id: int, now: datetime) -> tuple[int, bool]:
        pending = JoinRequestStatus.PENDING
        existing = self.t.one(
            "join_requests", collectivite_id=collectivite_id, user_id=user_id, status=pending
        )
        if existing is not None:
            return existing["id"], False
        row = self.t.insert(
            "join_requests",
            collectivite_id=collectivite_id,
            user_id=user_id,
            status=pending,
            decided_by=None,
            decided_at=None,
            created_at=now,
        )
        return row["id"], True

    def join_request(self, request_id: int) -> JoinRequestInfo | None:
        row = self.t.get("join_requests", request_id)
        return record(JoinRequestInfo, row) if row else None

    def decide_join_request(
        self, request_id: int, status: JoinRequestStatus, decided_by: int | None, now: datetime
    ) -> bool:
        row = self.t.one("join_requests", id=request_id, status=JoinRequestStatus.PENDING)
        if row is None:
            return False
        self.t.update(row, status=status, decided_by=decided_by, decided_at=now)
        return True

    def cancel_join_requests(
        self, user_id: int, now: datetime, collectivite_id: int | None = None
    ) -> None:
        for row in self.t.where("join_requests", user_id=user_id, status=JoinRequestStatus.PENDING):
            if collectivite_id is None or row["collectivite_id"] == collectivite_id:
                self.t.update(row, status=JoinRequestStatus.CANCELLED, decided_at=now)

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
        row = self.t.insert(
            "invitations",
            token=token,
            kind=kind,
            collectivite_id=collectivite_id,
            opsn_id=opsn_id,
            created_by=created_by,
            expires_at=expires_at,
            used_by=None,
            used_at=None,
            created_at=now,
        )
        return record(InvitationInfo, row)

    def invitation(self, token: str) -> InvitationInfo | None:
        row = self.t.one("invitations", token=token)
        return record(InvitationInfo, row) if row else None

    def use_invitation(self, token: str, user_id: int, now: datetime) -> bool:
        row = self.t.one("invitations", token=token, used_by=None)
        if row is None or stamp(row["expires_at"]) <= now:
            return False
        self.t.update(row, used_by=user_id, used_at=now)
        return True

    def pending_invitations(self, collectivite_id: int, now: datetime) -> list[InvitationInfo]:
        rows = [
            r
            for r in sorted(self.t.where("invitations", collectivite_id=collectivite_id), key=by_id)
            if r["kind"] == InvitationKind.MEMBER
            and r["used_by"] is None
            and stamp(r["expires_at"]) > now
        ]
        return [record(InvitationInfo, r) for r in rows]

    def revoke_invitation(self, invitation_id: int, collectivite_id: int, now: datetime) -> bool:
        row = self.t.one("invitations", id=invitation_id, collectivite_id=collectivite_id)
        if row is None or row["used_by"] is not None or stamp(row["expires_at"]) <= now:
            return False
        self.t.update(row, expires_at=now)
        return True

    def _failures(self, user_id: int) -> list[datetime]:
        row = self.t.one("key_values", key=f"payload-failures:{user_id}")
        return [stamp(s) for s in json.loads(row["value"])] if row else []

    def payload_failures(self, user_id: int, since: datetime) -> int:
        return sum(1 for s in self._failures(user_id) if s >= since)

    def record_payload_failure(self, user_id: int, now: datetime) -> None:
        kept = [s for s in self._failures(user_id) if s >= now - FAILURES_KEPT][-49:]
        value = json.dumps([s.isoformat() for s in [*kept, now]])
        row = self.t.one("key_values", key=f"payload-failures:{user_id}")
        if row is None:
            self.t.insert("key_values", key=f"payload-failures:{user_id}", value=value)
        else:
            self.t.update(row, value=value)
