"""The people of a collectivité: users, teams, invitations, join requests, preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

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


class PeopleStore(Protocol):
    """Collectivités and their people: users, memberships, invitations, join requests, preferences."""

    def user(self, user_id: int) -> UserInfo | None: ...

    def set_locale(self, user_id: int, locale: str | None) -> None: ...

    def membership(self, user_id: int) -> MembershipInfo | None:
        """The active membership: the one chosen last (`set_active`, or the team joined last),
        else the one joined first; None without any."""
        ...

    def memberships(self, user_id: int) -> list[MembershipInfo]:
        """Every collectivité of the person, the active one first."""
        ...

    def membership_in(self, user_id: int, collectivite_id: int) -> MembershipInfo | None:
        """The person's membership in that collectivité (whatever is active), or None."""
        ...

    def set_active(self, user_id: int, collectivite_id: int) -> bool:
        """Make that collectivité the active one; False when the person does not belong to it."""
        ...

    def update_collectivite(
        self,
        collectivite_id: int,
        *,
        name: str | None = None,
        kind: str | None = None,
        departement: str | None = None,
        population: int | None = None,
    ) -> CollectiviteInfo | None:
        """Change the given fields of the profile (peer statistics follow); None if it is gone."""
        ...

    def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None: ...

    def create_collectivite(
        self, new: NewCollectivite, admin_user_id: int, now: datetime
    ) -> CollectiviteInfo: ...

    def lock_collectivite(self, collectivite_id: int) -> None:
        """Serialise team and attachment changes of one collectivité (row lock on PostgreSQL)."""
        ...

    def members(self, collectivite_id: int) -> list[MemberInfo]:
        """The team, in joining order: the one way to list a collectivité's people."""
        ...

    def add_member(self, collectivite_id: int, user_id: int, role: Role, now: datetime) -> bool:
        """False when the person already belongs to that collectivité; the team joined becomes
        the person's active one."""
        ...

    def remove_member(self, collectivite_id: int, user_id: int) -> bool: ...

    def set_role(self, collectivite_id: int, user_id: int, role: Role) -> bool: ...

    def set_function(self, user_id: int, label: str, collectivite_id: int | None = None) -> None:
        """The person's function label in that collectivité (in all of theirs when None)."""
        ...

    def reminder_prefs(self, user_id: int) -> ReminderPrefs: ...

    def set_reminder_prefs(
        self,
        user_id: int,
        *,
        now: datetime,
        paused: bool | None = None,
        digest_weekday: int | None = None,
        digest_hour: int | None = None,
    ) -> ReminderPrefs: ...

    def request_join(self, collectivite_id: int, user_id: int, now: datetime) -> tuple[int, bool]:
        """Create (or find) the pending join request; returns (request id, created)."""
        ...

    def join_request(self, request_id: int) -> JoinRequestInfo | None: ...

    def decide_join_request(
        self, request_id: int, status: JoinRequestStatus, decided_by: int | None, now: datetime
    ) -> bool:
        """Move a pending request to `status`; False when it was no longer pending."""
        ...

    def cancel_join_requests(
        self, user_id: int, now: datetime, collectivite_id: int | None = None
    ) -> None:
        """Cancel the person's pending requests (to that collectivité only, when given)."""
        ...

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
    ) -> InvitationInfo: ...

    def invitation(self, token: str) -> InvitationInfo | None: ...

    def use_invitation(self, token: str, user_id: int, now: datetime) -> bool:
        """Mark the invitation used by `user_id`; False if used or expired meanwhile."""
        ...

    def payload_failures(self, user_id: int, since: datetime) -> int: ...

    def record_payload_failure(self, user_id: int, now: datetime) -> None: ...

    def pending_invitations(self, collectivite_id: int, now: datetime) -> list[InvitationInfo]:
        """Team invitations of the collectivité neither used nor expired, oldest first."""
        ...

    def revoke_invitation(self, invitation_id: int, collectivite_id: int, now: datetime) -> bool:
        """Make a pending invitation of that collectivité expire now; False when it was not pending."""
        ...
