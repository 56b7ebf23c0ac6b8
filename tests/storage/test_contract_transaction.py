"""Contract of the unit of work (`Database`, `Transaction`) and of the outbox, on every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from dialogs.events import Event
from dialogs.ports import Conflict, Database, Transaction
from dialogs.records import InvitationKind
from dialogs.replies import Button, Reply
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from tests.helpers.contract import NOW, person, sender
from tests.helpers.db import StoreBackend
from tests.helpers.fake_store import FakeDatabase


def test_both_databases_implement_the_port() -> None:
    def check(db: Database) -> Database:
        return db

    check(FakeDatabase())
    check(SqlDatabase.__new__(SqlDatabase))  # static check (mypy) that the class fits the port


class TestTransactionContract:
    def test_events_are_claimed_once(self, backend: StoreBackend) -> None:
        def claim_twice(tx: Transaction) -> tuple[bool, bool]:
            return tx.claim_event("e1", NOW), tx.claim_event("e1", NOW)

        assert backend.db.run(claim_twice) == (True, False)

        def claim(tx: Transaction) -> bool:
            return tx.claim_event("e1", NOW)

        assert backend.db.run(claim) is False
        assert [r["key"] for r in backend.rows("processed_events")] == ["e1"]

    def test_replies_are_kept_until_sent(self, backend: StoreBackend) -> None:
        replies = (Reply("Bonjour", ((Button("Oui", "a:GOV-01:oui"),),)), Reply("Suite", edit=True))

        def keep(tx: Transaction) -> int:
            user_id = person(tx, "5")
            version = tx.conversation(user_id, NOW).version
            tx.save_conversation(user_id, {}, version, NOW, ("e1", replies))
            return user_id

        user_id = backend.db.run(keep)
        assert backend.db.run(lambda tx: tx.unsent_replies(user_id, "e1")) == replies
        assert backend.db.run(lambda tx: tx.unsent_replies(user_id, "other")) == ()
        backend.db.run(lambda tx: tx.replies_sent(sender("6"), "e1"))  # someone else's: kept
        assert backend.db.run(lambda tx: tx.unsent_replies(user_id, "e1")) == replies
        backend.db.run(lambda tx: tx.replies_sent(sender("5"), "e1"))
        assert backend.db.run(lambda tx: tx.unsent_replies(user_id, "e1")) == ()
        backend.db.run(lambda tx: tx.replies_sent(sender("5"), "e1"))  # twice: nothing more

        def read_fresh(tx: Transaction) -> tuple[Reply, ...]:
            tx.user_for(sender("5"), NOW)  # answered from the sender's read
            return tx.unsent_replies(user_id, "e1")

        assert backend.db.run(read_fresh) == ()

    async def test_a_redelivered_event_gets_its_unsent_replies_once(
        self, backend: StoreBackend, referential: Referential
    ) -> None:
        service = ChatService(backend.db, referential)
        try:
            event = Event.start(event_id="tg:1:10")
            first = await service.handle(sender("9"), event)
            assert first.handled and first.replies
            again = await service.handle(sender("9"), event)  # crashed before sending: resent
            assert not again.handled and again.replies == first.replies
            await service.replies_sent(sender("9"), "tg:1:10")
            last = await service.handle(sender("9"), event)
            assert not last.handled and last.replies == ()
        finally:
            service.close()

    def test_user_for_creates_then_refreshes(self, backend: StoreBackend) -> None:
        def first(tx: Transaction) -> None:
            user = tx.user_for(sender("7", "Zoé", "fr"), NOW)
            assert (user.channel, user.external_id, user.chat_id) == ("test", "7", "7")
            assert (user.display_name, user.language_code, user.locale) == ("Zoé", "fr", None)
            assert tx.store.people.user(user.id) == user

        backend.db.run(first)

        def again(tx: Transaction) -> None:
            renamed = tx.user_for(sender("7", "Zoé Martin", "en"), NOW)
            assert (renamed.display_name, renamed.language_code) == ("Zoé Martin", "en")
            unnamed = tx.user_for(sender("7", "", None), NOW)
            assert (unnamed.display_name, unnamed.language_code) == ("Zoé Martin", "en")
            long = tx.user_for(sender("7", "x" * 300), NOW)
            assert long.display_name == "x" * 128 and long.id == renamed.id == unnamed.id

        backend.db.run(again)
        assert len(backend.rows("users")) == 1

    def test_writing_again_marks_the_user_reachable(self, backend: StoreBackend) -> None:
        if backend.is_sql:
            from sqlalchemy import update

            from storage.models import User

            def block(tx: Transaction) -> None:
                uid = person(tx)
                tx.session.execute(update(User).values(unreachable=True))  # type: ignore[attr-defined]
                assert uid

        else:

            def block(tx: Transaction) -> None:
                person(tx)
                tx.t.rows("users")[0]["unreachable"] = True  # type: ignore[attr-defined]

        backend.db.run(block)
        assert [r["unreachable"] for r in backend.rows("users")] == [True]
        backend.db.run(person)
        assert [r["unreachable"] for r in backend.rows("users")] == [False]

    def test_conversation_is_versioned(self, backend: StoreBackend) -> None:
        state: dict[str, object] = {
            "flow": "q",
            "data": {"ids": [1, 2], "label": "é", "ok": True, "none": None},
        }

        def save(tx: Transaction) -> int:
            uid = person(tx)
            fresh = tx.conversation(uid, NOW)
            assert (fresh.state, fresh.version) == ({}, 0)
            tx.save_conversation(uid, state, 0, NOW)
            with pytest.raises(Conflict):
                tx.save_conversation(uid, {}, 0, NOW)  # someone saved version 0 already
            return uid

        uid = backend.db.run(save)

        def load(tx: Transaction) -> None:
            loaded = tx.conversation(uid, NOW)
            assert (loaded.state, loaded.version) == (state, 1)
            loaded.state["flow"] = "changed"  # a copy: nothing stored changes with it
            assert (tx.conversation(uid, NOW)).state == state

        backend.db.run(load)

    def test_a_failing_unit_of_work_leaves_nothing(self, backend: StoreBackend) -> None:
        def fail(tx: Transaction) -> None:
            uid = person(tx)
            tx.claim_event("e1", NOW)
            tx.save_conversation(uid, {"a": 1}, (tx.conversation(uid, NOW)).version, NOW)
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            backend.db.run(fail)
        for table in ("users", "processed_events", "conversations"):
            assert backend.rows(table) == [], table

    def test_a_conflict_runs_the_work_again(self, backend: StoreBackend) -> None:
        calls: list[int] = []

        def flaky(tx: Transaction) -> int:
            calls.append(person(tx, str(len(calls))))
            if len(calls) == 1:
                raise Conflict("try again")
            return len(calls)

        assert backend.db.run(flaky) == 2
        assert [r["external_id"] for r in backend.rows("users")] == ["1"]

    def test_conflicts_that_never_end_are_raised(self, backend: StoreBackend) -> None:
        def stale(tx: Transaction) -> None:
            raise Conflict("always")

        with pytest.raises(Conflict):
            backend.db.run(stale)

    async def test_concurrent_events_of_one_conversation_never_overwrite(
        self, backend: StoreBackend, referential: Referential
    ) -> None:
        """Two processes handle events of the same user at once: both land, versions count both."""
        service_a = ChatService(backend.db, referential)
        service_b = ChatService(backend.twin(), referential)
        zoe = sender("42", "Zoé")
        await service_a.handle(zoe, Event.start())
        results = await asyncio.gather(
            *(
                svc.handle(zoe, Event.cmd("aide", event_id=f"e{i}"))
                for i, svc in enumerate([service_a, service_b] * 3)
            )
        )
        assert all(r.replies for r in results)
        (conversation,) = backend.rows("conversations")
        assert conversation["version"] == 7


class TestOutboxContract:
    def test_outbox_enqueue_is_idempotent(self, backend: StoreBackend) -> None:
        reply = Reply("Bonjour", ((Button("OK", "x:1"),),))

        def enqueue(tx: Transaction) -> None:
            uid = person(tx)
            assert tx.store.outbox.enqueue(uid, "k1", reply, NOW)
            assert not tx.store.outbox.enqueue(uid, "k1", reply, NOW)
            assert not tx.store.outbox.enqueue(uid, "k1", Reply("other"), NOW)
            assert not tx.store.outbox.enqueue(uid + 1, "k2", reply, NOW)  # nobody

        backend.db.run(enqueue)
        (row,) = backend.rows("outbox")
        assert Reply.from_json(row["payload"]) == reply
        assert row["next_attempt_at"] == NOW.isoformat()
        assert (row["key"], row["status"], row["attempts"]) == ("k1", "pending", 0)
        assert (row["channel"], row["chat_id"]) == ("test", "1")


def test_timestamps_come_back_aware_in_utc(backend: StoreBackend) -> None:
    paris = NOW.astimezone(ZoneInfo("Europe/Paris"))

    def stamp(tx: Transaction) -> None:
        tx.claim_event("e", paris + timedelta(hours=1))
        created = tx.store.people.create_invitation(
            token="t",
            kind=InvitationKind.MEMBER,
            collectivite_id=None,
            opsn_id=None,
            created_by=None,
            expires_at=paris,
            now=NOW,
        )
        assert created.expires_at == NOW  # the same instant

    backend.db.run(stamp)

    def read(tx: Transaction) -> None:
        found = tx.store.people.invitation("t")
        assert found is not None and found.expires_at == NOW
        assert found.expires_at.utcoffset() == timedelta(0)

    backend.db.run(read)
    stamps = [r["processed_at"] for r in backend.rows("processed_events")]
    assert stamps == [(NOW + timedelta(hours=1)).isoformat()]
