"""Contract of `store.privacy` (exports, erasure, collectivité deletion) and of the invitation
listing of `store.people`, on SQLite, PostgreSQL and the fake."""

from __future__ import annotations

from datetime import timedelta

from dialogs.ports import Transaction
from dialogs.records import ERASED_CHANNEL, InvitationKind, Role, ScoreRecord
from dialogs.replies import Button, Reply
from tests.helpers.contract import NOW, collectivite, new, person
from tests.helpers.db import StoreBackend

NAME = "Zéphyrine Quenouille"


def _team(tx: Transaction) -> tuple[int, int, int]:
    """A collectivité with its admin "1" and a member "2" called NAME who answered and is in
    charge of an action; the admin has a pending and a finished notification naming her."""
    cid, admin = collectivite(tx)
    zephyrine = person(tx, "2", NAME)
    store = tx.store
    store.people.add_member(cid, zephyrine, Role.MEMBER, NOW)
    store.people.set_function(zephyrine, "DSI")
    store.answers.set(
        cid, "Q1", "non", referential_version="1", user_id=zephyrine, now=NOW,
        score=ScoreRecord(10, "D", 1, 30),
    )  # fmt: skip
    item = store.plan.create_item(cid, "Q1", actor_id=zephyrine, now=NOW)
    store.plan.update_item(item.id, {"assignee_id": zephyrine}, actor_id=admin, now=NOW)
    store.outbox.enqueue(admin, "joined", Reply(f"{NAME} a rejoint l’équipe."), NOW)
    store.outbox.enqueue(
        admin, "left", Reply(f"{NAME} a quitté.", ((Button(f"Voir {NAME}", "x"),),)), NOW
    )
    store.outbox.enqueue(zephyrine, "for-her", Reply("Bonjour"), NOW)
    store.people.record_payload_failure(zephyrine, NOW)
    return cid, admin, zephyrine


class TestPrivacyContract:
    def test_export_person(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> dict[str, object]:
            _cid, _admin, zephyrine = _team(tx)
            return tx.store.privacy.export_person(zephyrine)

        doc = backend.db.run(work)
        account = doc["account"]
        assert isinstance(account, list) and account[0]["display_name"] == NAME
        assert account[0]["external_id"] == "2" and account[0]["digest_hour"] == 9
        sections = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
        assert sections == {
            "account": 1,
            "memberships": 1,
            "collectivites": 1,
            "conversation": 0,
            "answers_given": 1,
            "answer_history": 1,
            "actions_assigned": 1,
            "action_history": 2,  # created by her, assigned to her
            "join_requests": 0,
            "invitations": 0,
            "referent_of": 0,
            "attachments": 0,
            "proposals": 0,
            "notifications": 1,
            "settings": 1,
        }

    def test_export_collectivite_hides_invitation_tokens(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> dict[str, object]:
            cid, admin, _z = _team(tx)
            tx.store.people.create_invitation(
                token="secret-token-1234567890", kind=InvitationKind.MEMBER, collectivite_id=cid,
                opsn_id=None, created_by=admin, expires_at=NOW + timedelta(days=7), now=NOW,
            )  # fmt: skip
            return tx.store.privacy.export_collectivite(cid)

        doc = backend.db.run(work)
        assert "secret-token" not in repr(doc)
        people = doc["people"]
        assert isinstance(people, list)
        assert sorted(p["display_name"] for p in people) == sorted(["U", NAME])
        counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
        assert counts["answers"] == 1 and counts["actions"] == 1 and counts["invitations"] == 1
        assert counts["score_history"] == 1 and counts["members"] == 2

    def test_erase_person(self, backend: StoreBackend) -> None:
        def setup(tx: Transaction) -> tuple[int, int, int]:
            return _team(tx)

        cid, admin, zephyrine = backend.db.run(setup)

        def erase(tx: Transaction) -> None:
            tx.store.privacy.erase_person(zephyrine, NOW + timedelta(hours=1))
            tx.store.privacy.erase_person(zephyrine, NOW + timedelta(hours=1))  # idempotent

        backend.db.run(erase)
        user = next(u for u in backend.rows("users") if u["id"] == zephyrine)
        assert (user["channel"], user["external_id"], user["chat_id"]) == (
            ERASED_CHANNEL,
            str(zephyrine),
            "",
        )
        assert (user["display_name"], user["language_code"], user["locale"]) == ("", None, None)
        assert [m["user_id"] for m in backend.rows("memberships")] == [admin]
        assert [r["user_id"] for r in backend.rows("outbox")] == [admin, admin]
        texts = [r["payload"]["text"] for r in backend.rows("outbox")]
        assert texts == ["un ancien membre a rejoint l’équipe.", "un ancien membre a quitté."]
        labels = backend.rows("outbox")[1]["payload"]["buttons"][0][0]["label"]
        assert labels == "Voir un ancien membre"
        assert backend.rows("key_values") == []
        (item,) = backend.rows("action_items")
        assert item["assignee_id"] is None
        answer = backend.rows("answers")[0]
        assert answer["answered_by"] == zephyrine  # the collectivité's record, pointing to the rest
        assert backend.rows("answers")[0]["collectivite_id"] == cid

        def after(tx: Transaction) -> None:
            assert tx.store.outbox.enqueue(zephyrine, "late", Reply("x"), NOW) is False
            assert tx.store.people.membership(zephyrine) is None
            erased = tx.store.people.user(zephyrine)
            assert erased is not None and erased.is_erased

        backend.db.run(after)

    def test_delete_collectivite(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> tuple[int, int]:
            cid, admin, _z = _team(tx)
            other, _other_admin = collectivite(tx, "9", "21600057000012")
            tx.store.people.create_invitation(
                token="tok-abcdefghijklmnop", kind=InvitationKind.MEMBER, collectivite_id=cid,
                opsn_id=None, created_by=admin, expires_at=NOW + timedelta(days=7), now=NOW,
            )  # fmt: skip
            tx.store.privacy.delete_collectivite(cid, NOW)
            tx.store.privacy.delete_collectivite(cid, NOW)  # nothing left: no error
            return cid, other

        _cid, other = backend.db.run(work)
        assert [c["id"] for c in backend.rows("collectivites")] == [other]
        for table in ("answers", "answer_history", "score_snapshots", "action_items",
                      "action_events", "invitations", "join_requests", "attachments"):  # fmt: skip
            assert backend.rows(table) == [], table
        assert len(backend.rows("memberships")) == 1
        assert len(backend.rows("users")) == 3  # the people stay; only the collectivité goes

    def test_pending_invitations_and_revoke(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            people = tx.store.people
            cid, admin = collectivite(tx)
            other = people.create_collectivite(new("21600057000012"), person(tx, "7"), NOW).id
            made = [
                people.create_invitation(
                    token=f"token-{i}-abcdefghijklmnop",
                    kind=InvitationKind.MEMBER,
                    collectivite_id=cid,
                    opsn_id=None,
                    created_by=admin,
                    expires_at=NOW + timedelta(days=i),
                    now=NOW,
                )
                for i in (1, 7, 3)
            ]
            people.use_invitation(made[2].token, person(tx, "8"), NOW)
            later = NOW + timedelta(days=2)
            assert [i.id for i in people.pending_invitations(cid, NOW)] == [made[0].id, made[1].id]
            assert [i.id for i in people.pending_invitations(cid, later)] == [made[1].id]
            assert people.pending_invitations(other, NOW) == []
            assert people.revoke_invitation(made[1].id, other, NOW) is False
            assert people.revoke_invitation(made[2].id, cid, NOW) is False  # used
            assert people.revoke_invitation(made[1].id, cid, NOW) is True
            assert people.revoke_invitation(made[1].id, cid, NOW) is False
            assert [i.id for i in people.pending_invitations(cid, NOW)] == [made[0].id]

        backend.db.run(work)
