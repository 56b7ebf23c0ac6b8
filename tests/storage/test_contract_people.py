"""Contract of `store.people` (collectivités, teams, join requests, invitations, preferences)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.ports import Transaction
from dialogs.records import (
    InvitationKind,
    JoinRequestStatus,
    ReminderPrefs,
    Role,
)
from tests.helpers.contract import NOW, collectivite, new, person
from tests.helpers.db import StoreBackend
from tests.helpers.fake_data import IntegrityViolation


class TestPeopleContract:
    async def test_collectivite_and_membership(self, backend: StoreBackend) -> None:
        async def work(tx: Transaction) -> None:
            people = tx.store.people
            user = await person(tx)
            assert await people.membership(user) is None
            created = await people.create_collectivite(new(), user, NOW)
            assert (created.siret, created.kind, created.name) == (
                "21310555400017",
                "commune",
                "Test",
            )
            assert (created.departement, created.population, created.level2_enabled) == (
                "31",
                1200,
                False,
            )
            member = await people.membership(user)
            assert member is not None and member.is_admin and member.collectivite == created
            assert member.role is Role.ADMIN and member.function_label == ""
            assert await people.find_collectivite_by_siret("21310555400017") == created
            assert await people.find_collectivite_by_siret("00000000000000") is None
            await people.lock_collectivite(created.id)

        await backend.db.run(work)

    async def test_users_locale_and_reminder_prefs(self, backend: StoreBackend) -> None:
        async def work(tx: Transaction) -> None:
            people = tx.store.people
            uid = await person(tx)
            assert await people.user(uid + 100) is None
            await people.set_locale(uid, "en")
            user = await people.user(uid)
            assert user is not None and user.locale == "en"
            await people.set_locale(uid, None)
            user = await people.user(uid)
            assert user is not None and user.locale is None
            default = ReminderPrefs(paused=False, digest_weekday=0, digest_hour=9)
            assert await people.reminder_prefs(uid) == default
            assert await people.reminder_prefs(uid + 100) == default
            paused = await people.set_reminder_prefs(uid, now=NOW, paused=True, digest_hour=17)
            assert paused == ReminderPrefs(True, 0, 17)
            assert await people.set_reminder_prefs(uid, now=NOW, digest_weekday=4) == ReminderPrefs(
                True, 4, 17
            )
            assert await people.set_reminder_prefs(uid, now=NOW, paused=False) == ReminderPrefs(
                False, 4, 17
            )
            assert await people.reminder_prefs(uid) == ReminderPrefs(False, 4, 17)
            with pytest.raises(LookupError):
                await people.set_reminder_prefs(uid + 100, now=NOW, paused=True)

        await backend.db.run(work)
        (user,) = await backend.rows("users")
        assert user["reminders_resumed_at"] == NOW.isoformat()  # what fell due meanwhile is dropped

    async def test_members_in_joining_order(self, backend: StoreBackend) -> None:
        async def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = await collectivite(tx)
            other_cid, _ = await collectivite(tx, "9", siret="21600057000012")
            bob = await person(tx, "2", "Bob")
            ana = await person(tx, "3", "Ana")
            assert await people.add_member(cid, bob, Role.MEMBER, NOW + timedelta(minutes=1))
            assert not await people.add_member(cid, bob, Role.ADMIN, NOW)  # already in a team
            assert not await people.add_member(other_cid, bob, Role.MEMBER, NOW)
            assert await people.add_member(cid, ana, Role.MEMBER, NOW + timedelta(minutes=2))
            team = await people.members(cid)
            assert [(m.user_id, m.display_name, m.role) for m in team] == [
                (admin, "U", Role.ADMIN),
                (bob, "Bob", Role.MEMBER),
                (ana, "Ana", Role.MEMBER),
            ]
            assert team[1].joined_at == NOW + timedelta(minutes=1) and not team[1].is_admin
            assert [m.is_admin for m in team] == [True, False, False]

            assert await people.set_role(cid, bob, Role.ADMIN)
            assert not await people.set_role(other_cid, bob, Role.ADMIN)
            await people.set_function(bob, "DGS")
            bob_membership = await people.membership(bob)
            assert bob_membership is not None
            assert (bob_membership.role, bob_membership.function_label) == (Role.ADMIN, "DGS")

            assert await people.remove_member(cid, ana)
            assert not await people.remove_member(cid, ana)
            assert not await people.remove_member(other_cid, bob)
            assert [m.user_id for m in await people.members(cid)] == [admin, bob]
            assert await people.membership(ana) is None
            assert await people.members(cid + 100) == []

        await backend.db.run(work)

    async def test_join_requests_are_decided_once(self, backend: StoreBackend) -> None:
        async def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = await collectivite(tx)
            bob = await person(tx, "2", "Bob")
            request_id, created = await people.request_join(cid, bob, NOW)
            assert created
            assert await people.request_join(cid, bob, NOW) == (request_id, False)
            pending = await people.join_request(request_id)
            assert pending is not None
            assert (pending.collectivite_id, pending.user_id) == (cid, bob)
            assert (pending.status, pending.decided_by, pending.decided_at) == (
                JoinRequestStatus.PENDING,
                None,
                None,
            )
            later = NOW + timedelta(hours=1)
            accepted = JoinRequestStatus.ACCEPTED
            assert await people.decide_join_request(request_id, accepted, admin, later)
            assert not await people.decide_join_request(
                request_id, JoinRequestStatus.REFUSED, admin, later
            )
            decided = await people.join_request(request_id)
            assert decided is not None
            assert (decided.status, decided.decided_by, decided.decided_at) == (
                accepted,
                admin,
                later,
            )
            assert await people.join_request(request_id + 100) is None

            again, created = await people.request_join(cid, bob, NOW)
            assert created and again != request_id
            await people.cancel_join_requests(bob, later)
            cancelled = await people.join_request(again)
            assert cancelled is not None and cancelled.status is JoinRequestStatus.CANCELLED
            assert cancelled.decided_at == later and cancelled.decided_by is None
            assert not await people.decide_join_request(again, accepted, admin, later)

        await backend.db.run(work)

    async def test_invitations_are_used_once_before_they_expire(
        self, backend: StoreBackend
    ) -> None:
        async def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = await collectivite(tx)
            bob = await person(tx, "2", "Bob")
            invitation = await people.create_invitation(
                token="tok-1",
                kind=InvitationKind.MEMBER,
                collectivite_id=cid,
                opsn_id=None,
                created_by=admin,
                expires_at=NOW + timedelta(days=1),
                now=NOW,
            )
            assert invitation.kind is InvitationKind.MEMBER
            assert (invitation.token, invitation.collectivite_id, invitation.opsn_id) == (
                "tok-1",
                cid,
                None,
            )
            assert (invitation.created_by, invitation.used_by) == (admin, None)
            assert await people.invitation("tok-1") == invitation
            assert await people.invitation("nope") is None
            assert await people.use_invitation("tok-1", bob, NOW)
            assert not await people.use_invitation("tok-1", admin, NOW)  # single use
            used = await people.invitation("tok-1")
            assert used is not None and used.used_by == bob

            await people.create_invitation(
                token="tok-2",
                kind=InvitationKind.REFERENT,
                collectivite_id=None,
                opsn_id=None,
                created_by=None,
                expires_at=NOW,
                now=NOW,
            )
            assert not await people.use_invitation("tok-2", bob, NOW)  # expired
            assert not await people.use_invitation("nope", bob, NOW)
            expired = await people.invitation("tok-2")
            assert expired is not None and expired.kind is InvitationKind.REFERENT
            assert expired.used_by is None

        await backend.db.run(work)

    async def test_payload_failures_are_counted_in_a_window(self, backend: StoreBackend) -> None:
        async def work(tx: Transaction) -> None:
            people = tx.store.people
            uid = await person(tx)
            other = await person(tx, "2")
            assert await people.payload_failures(uid, NOW - timedelta(hours=1)) == 0
            for minutes in (0, 10, 20):
                await people.record_payload_failure(uid, NOW + timedelta(minutes=minutes))
            assert await people.payload_failures(uid, NOW - timedelta(hours=1)) == 3
            assert await people.payload_failures(uid, NOW + timedelta(minutes=5)) == 2
            assert await people.payload_failures(other, NOW - timedelta(hours=1)) == 0
            # Older than a day: forgotten when the next failure is recorded.
            await people.record_payload_failure(uid, NOW + timedelta(days=2))
            assert await people.payload_failures(uid, NOW - timedelta(hours=1)) == 1

        await backend.db.run(work)

    async def test_a_duplicate_siret_fails_the_whole_unit(self, backend: StoreBackend) -> None:
        await backend.db.run(collectivite)

        async def duplicate(tx: Transaction) -> None:
            other = await person(tx, "2")
            await tx.store.people.create_collectivite(new(), other, NOW)

        refused: type[Exception] = IntegrityViolation
        if backend.is_sql:
            from sqlalchemy.exc import IntegrityError

            refused = IntegrityError
        with pytest.raises(refused):
            await backend.db.run(duplicate)
        assert [u["external_id"] for u in await backend.rows("users")] == ["1"]
        assert len(await backend.rows("collectivites")) == 1
