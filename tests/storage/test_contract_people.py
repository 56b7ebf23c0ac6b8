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
    ScoreRecord,
)
from storage.peers import band_of
from tests.helpers.contract import NOW, collectivite, new, person
from tests.helpers.db import StoreBackend
from tests.helpers.fake_data import IntegrityViolation


class TestPeopleContract:
    def test_collectivite_and_membership(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            user = person(tx)
            assert people.membership(user) is None
            created = people.create_collectivite(new(), user, NOW)
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
            member = people.membership(user)
            assert member is not None and member.is_admin and member.collectivite == created
            assert member.role is Role.ADMIN and member.function_label == ""
            assert people.find_collectivite_by_siret("21310555400017") == created
            assert people.find_collectivite_by_siret("00000000000000") is None
            people.lock_collectivite(created.id)

        backend.db.run(work)

    def test_users_locale_and_reminder_prefs(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            uid = person(tx)
            assert people.user(uid + 100) is None
            people.set_locale(uid, "en")
            user = people.user(uid)
            assert user is not None and user.locale == "en"
            people.set_locale(uid, None)
            user = people.user(uid)
            assert user is not None and user.locale is None
            default = ReminderPrefs(paused=False, digest_weekday=0, digest_hour=9)
            assert people.reminder_prefs(uid) == default
            assert people.reminder_prefs(uid + 100) == default
            paused = people.set_reminder_prefs(uid, now=NOW, paused=True, digest_hour=17)
            assert paused == ReminderPrefs(True, 0, 17)
            assert people.set_reminder_prefs(uid, now=NOW, digest_weekday=4) == ReminderPrefs(
                True, 4, 17
            )
            assert people.set_reminder_prefs(uid, now=NOW, paused=False) == ReminderPrefs(
                False, 4, 17
            )
            assert people.reminder_prefs(uid) == ReminderPrefs(False, 4, 17)
            with pytest.raises(LookupError):
                people.set_reminder_prefs(uid + 100, now=NOW, paused=True)

        backend.db.run(work)
        (user,) = backend.rows("users")
        assert user["reminders_resumed_at"] == NOW.isoformat()  # what fell due meanwhile is dropped

    def test_members_in_joining_order(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = collectivite(tx)
            other_cid, _ = collectivite(tx, "9", siret="21600057000012")
            bob = person(tx, "2", "Bob")
            ana = person(tx, "3", "Ana")
            assert people.add_member(cid, bob, Role.MEMBER, NOW + timedelta(minutes=1))
            assert not people.add_member(cid, bob, Role.ADMIN, NOW)  # already in this team
            assert people.add_member(cid, ana, Role.MEMBER, NOW + timedelta(minutes=2))
            team = people.members(cid)
            assert [(m.user_id, m.display_name, m.role) for m in team] == [
                (admin, "U", Role.ADMIN),
                (bob, "Bob", Role.MEMBER),
                (ana, "Ana", Role.MEMBER),
            ]
            assert team[1].joined_at == NOW + timedelta(minutes=1) and not team[1].is_admin
            assert [m.is_admin for m in team] == [True, False, False]

            assert people.set_role(cid, bob, Role.ADMIN)
            assert not people.set_role(other_cid, bob, Role.ADMIN)
            people.set_function(bob, "DGS", cid)
            bob_membership = people.membership(bob)
            assert bob_membership is not None
            assert (bob_membership.role, bob_membership.function_label) == (Role.ADMIN, "DGS")

            assert people.remove_member(cid, ana)
            assert not people.remove_member(cid, ana)
            assert not people.remove_member(other_cid, bob)
            assert people.add_member(other_cid, ana, Role.MEMBER, NOW)  # another team: fine
            assert [m.user_id for m in people.members(cid)] == [admin, bob]
            assert [m.collectivite.id for m in people.memberships(ana)] == [other_cid]
            assert people.members(cid + 100) == []

        backend.db.run(work)

    def test_join_requests_are_decided_once(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = collectivite(tx)
            bob = person(tx, "2", "Bob")
            request_id, created = people.request_join(cid, bob, NOW)
            assert created
            assert people.request_join(cid, bob, NOW) == (request_id, False)
            pending = people.join_request(request_id)
            assert pending is not None
            assert (pending.collectivite_id, pending.user_id) == (cid, bob)
            assert (pending.status, pending.decided_by, pending.decided_at) == (
                JoinRequestStatus.PENDING,
                None,
                None,
            )
            later = NOW + timedelta(hours=1)
            accepted = JoinRequestStatus.ACCEPTED
            assert people.decide_join_request(request_id, accepted, admin, later)
            assert not people.decide_join_request(
                request_id, JoinRequestStatus.REFUSED, admin, later
            )
            decided = people.join_request(request_id)
            assert decided is not None
            assert (decided.status, decided.decided_by, decided.decided_at) == (
                accepted,
                admin,
                later,
            )
            assert people.join_request(request_id + 100) is None

            again, created = people.request_join(cid, bob, NOW)
            assert created and again != request_id
            people.cancel_join_requests(bob, later)
            cancelled = people.join_request(again)
            assert cancelled is not None and cancelled.status is JoinRequestStatus.CANCELLED
            assert cancelled.decided_at == later and cancelled.decided_by is None
            assert not people.decide_join_request(again, accepted, admin, later)

        backend.db.run(work)

    def test_invitations_are_used_once_before_they_expire(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = collectivite(tx)
            bob = person(tx, "2", "Bob")
            invitation = people.create_invitation(
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
            assert people.invitation("tok-1") == invitation
            assert people.invitation("nope") is None
            assert people.use_invitation("tok-1", bob, NOW)
            assert not people.use_invitation("tok-1", admin, NOW)  # single use
            used = people.invitation("tok-1")
            assert used is not None and used.used_by == bob

            people.create_invitation(
                token="tok-2",
                kind=InvitationKind.REFERENT,
                collectivite_id=None,
                opsn_id=None,
                created_by=None,
                expires_at=NOW,
                now=NOW,
            )
            assert not people.use_invitation("tok-2", bob, NOW)  # expired
            assert not people.use_invitation("nope", bob, NOW)
            expired = people.invitation("tok-2")
            assert expired is not None and expired.kind is InvitationKind.REFERENT
            assert expired.used_by is None

        backend.db.run(work)

    def test_payload_failures_are_counted_in_a_window(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            uid = person(tx)
            other = person(tx, "2")
            assert people.payload_failures(uid, NOW - timedelta(hours=1)) == 0
            for minutes in (0, 10, 20):
                people.record_payload_failure(uid, NOW + timedelta(minutes=minutes))
            assert people.payload_failures(uid, NOW - timedelta(hours=1)) == 3
            assert people.payload_failures(uid, NOW + timedelta(minutes=5)) == 2
            assert people.payload_failures(other, NOW - timedelta(hours=1)) == 0
            # Older than a day: forgotten when the next failure is recorded.
            people.record_payload_failure(uid, NOW + timedelta(days=2))
            assert people.payload_failures(uid, NOW - timedelta(hours=1)) == 1

        backend.db.run(work)

    def test_a_duplicate_siret_fails_the_whole_unit(self, backend: StoreBackend) -> None:
        backend.db.run(collectivite)

        def duplicate(tx: Transaction) -> None:
            other = person(tx, "2")
            tx.store.people.create_collectivite(new(), other, NOW)

        refused: type[Exception] = IntegrityViolation
        if backend.is_sql:
            from sqlalchemy.exc import IntegrityError

            refused = IntegrityError
        with pytest.raises(refused):
            backend.db.run(duplicate)
        assert [u["external_id"] for u in backend.rows("users")] == ["1"]
        assert len(backend.rows("collectivites")) == 1


class TestSeveralCollectivites:
    """Issue 16: a person may belong to several collectivités; one of them is active."""

    def test_memberships_active_one_and_switching(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            first, admin = collectivite(tx)
            second, _ = collectivite(tx, "9", siret="21600057000012")
            third, _ = collectivite(tx, "8", siret="21310555400025")
            sec = person(tx, "2", "Sec")
            assert people.memberships(sec) == [] and people.membership(sec) is None
            assert people.add_member(first, sec, Role.ADMIN, NOW)
            only = people.membership(sec)
            assert only is not None and only.collectivite.id == first and only.memberships == 1
            assert people.add_member(second, sec, Role.MEMBER, NOW + timedelta(minutes=1))
            assert not people.add_member(second, sec, Role.MEMBER, NOW)  # twice: refused
            active = people.membership(sec)  # the team just joined is the active one
            assert active is not None and active.collectivite.id == second
            assert active.memberships == 2 and not active.is_admin
            listed = people.memberships(sec)
            assert [m.collectivite.id for m in listed] == [second, first]
            assert [m.memberships for m in listed] == [2, 2]

            assert people.set_active(sec, first)
            again = people.membership(sec)
            assert again is not None and again.collectivite.id == first and again.is_admin
            assert not people.set_active(sec, third)  # not a member
            assert people.membership(sec) == again
            inside = people.membership_in(sec, second)
            assert inside is not None and inside.role is Role.MEMBER and inside.memberships == 2
            assert people.membership_in(sec, third) is None

            people.set_function(sec, "Secrétaire de mairie", second)
            functions = {m.collectivite.id: m.function_label for m in people.memberships(sec)}
            assert functions == {first: "", second: "Secrétaire de mairie"}

            # Leaving the chosen one falls back on the others; the admin's own is untouched.
            assert people.remove_member(first, sec)
            fallback = people.membership(sec)
            assert fallback is not None and fallback.collectivite.id == second
            assert fallback.memberships == 1
            assert [m.user_id for m in people.members(first)] == [admin]

        backend.db.run(work)

    def test_update_collectivite(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, _ = collectivite(tx)
            changed = people.update_collectivite(cid, population=12000, name="Rivière")
            assert changed is not None
            assert (changed.name, changed.population, changed.kind) == ("Rivière", 12000, "commune")
            changed = people.update_collectivite(cid, kind="epci", departement="2A")
            assert changed is not None and (changed.kind, changed.departement) == ("epci", "2A")
            assert people.find_collectivite_by_siret("21310555400017") == changed
            assert people.update_collectivite(cid + 100, name="X") is None

        backend.db.run(work)

    def test_update_moves_a_scored_collectivite_to_its_new_peer_bin(
        self, backend: StoreBackend
    ) -> None:
        """Peer statistics follow a corrected type or population (SQL keeps them in bins; the
        fake computes them from the rows, see tests.helpers.fake_store)."""
        if not backend.is_sql:
            pytest.skip("the fake keeps no peer bins")

        def work(tx: Transaction) -> None:
            cid, uid = collectivite(tx)  # a commune of 1 200
            tx.store.answers.record_score(cid, ScoreRecord(40, "C", 3, 30), user_id=uid, now=NOW)
            tx.store.people.update_collectivite(cid, population=12000)
            tx.store.people.update_collectivite(cid, kind="epci")

        backend.db.run(work)
        bins = {(b["kind"], b["band"], b["index"]): b["count"] for b in backend.rows("peer_bins")}
        assert bins == {
            ("commune", band_of(1200), 40): 0,
            ("commune", band_of(12000), 40): 0,
            ("epci", band_of(12000), 40): 1,
        }
