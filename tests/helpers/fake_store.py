"""An in-memory `Database` for engine tests, with the semantics of the SQL store.

`FakeDatabase` implements `dialogs.ports.Database`, its transactions `Transaction`, their `store`
the whole `Store`. Units of work take turns (one at a time, like SQLite in one process) and are
all-or-nothing: a unit that raises leaves the tables exactly as they were (snapshot and restore),
and a `Conflict` runs it again. Every row is JSON (see `tests.helpers.fake_data`), every record is
decoded from a fresh copy, so nothing leaks by reference. The same contract suite
(tests/storage/test_contract.py) runs on this fake, SQLite and PostgreSQL.

Peer bins (storage.peers) are not kept: the area averages that SQL takes from them (France) are
computed from the collectivités' rows instead (tests.helpers.fake_stats), with the same result.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from dialogs.events import Sender
from dialogs.ports import Conflict, Gathered, KeptReplies, Transaction
from dialogs.records import ERASED_CHANNEL, Conversation, MembershipInfo, UserInfo
from dialogs.replies import Reply
from tests.helpers.fake_aggregates import FakeAnswers, FakeOpsn, FakePlan
from tests.helpers.fake_data import Row, Tables, copy_json, dump, record
from tests.helpers.fake_people import FakePeople, stamp
from tests.helpers.fake_privacy import FakePrivacy
from tests.helpers.fake_proposals import FakeProposals
from tests.helpers.fake_roadmap import FakeRoadmap

T = TypeVar("T")
ATTEMPTS = 4
NAME_MAX = 128


@dataclass(frozen=True)
class OutboxRow:
    """An outbox message as stored, for tests to inspect."""

    id: int
    key: str
    user_id: int
    channel: str
    chat_id: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime

    @property
    def reply(self) -> Reply:
        return Reply.from_json(self.payload)


class FakeOutbox:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        if self.t.one("outbox", key=key) is not None:
            return False
        user = self.t.get("users", user_id)
        if user is None or user["channel"] == ERASED_CHANNEL:
            return False
        self.t.insert(
            "outbox",
            key=key,
            user_id=user_id,
            channel=user["channel"],
            chat_id=user["chat_id"],
            payload=copy_json(reply.to_json()),
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        return True

    def gather(
        self,
        user_id: int,
        key: str,
        render: Callable[[datetime], Reply],
        *,
        now: datetime,
        send_at: datetime,
    ) -> Gathered:
        row = self.t.one("outbox", key=key)
        if row is None:
            if not self.enqueue(user_id, key, render(now), now):
                return Gathered.GONE
            row = self.t.one("outbox", key=key)
            assert row is not None
            self.t.update(row, next_attempt_at=send_at)
            return Gathered.QUEUED
        if row["status"] != "pending":
            return Gathered.GONE
        self.t.update(row, payload=copy_json(render(stamp(row["created_at"])).to_json()))
        return Gathered.MERGED


class FakeStore:
    def __init__(self, tables: Tables) -> None:
        self._people = FakePeople(tables)
        self._answers = FakeAnswers(tables)
        self._plan = FakePlan(tables)
        self._opsn = FakeOpsn(tables)
        self._outbox = FakeOutbox(tables)
        self._privacy = FakePrivacy(tables)
        self._roadmap = FakeRoadmap(tables)
        self._proposals = FakeProposals(tables)

    @property
    def people(self) -> FakePeople:
        return self._people

    @property
    def answers(self) -> FakeAnswers:
        return self._answers

    @property
    def plan(self) -> FakePlan:
        return self._plan

    @property
    def opsn(self) -> FakeOpsn:
        return self._opsn

    @property
    def outbox(self) -> FakeOutbox:
        return self._outbox

    @property
    def privacy(self) -> FakePrivacy:
        return self._privacy

    @property
    def roadmap(self) -> FakeRoadmap:
        return self._roadmap

    @property
    def proposals(self) -> FakeProposals:
        return self._proposals


class FakeTransaction:
    def __init__(self, tables: Tables) -> None:
        self.t = tables
        self._store = FakeStore(tables)

    @property
    def store(self) -> FakeStore:
        return self._store

    def claim_event(self, event_id: str, now: datetime) -> bool:
        if self.t.one("processed_events", key=event_id) is not None:
            return False
        self.t.insert("processed_events", key=event_id, processed_at=now)
        return True

    def unsent_replies(self, user_id: int, event_id: str) -> tuple[Reply, ...]:
        row = self.t.one("conversations", user_id=user_id)
        if row is None or row.get("replies_event") != event_id:
            return ()
        return tuple(Reply.from_json(item) for item in row.get("replies") or ())

    def replies_sent(self, sender: Sender, event_id: str) -> None:
        user = self.t.one("users", channel=sender.channel, external_id=sender.external_id)
        row = self.t.one("conversations", user_id=user["id"]) if user is not None else None
        if row is not None and row.get("replies_event") == event_id:
            self.t.update(row, replies_event=None, replies=None)

    def user_for(self, sender: Sender, now: datetime) -> UserInfo:
        name = sender.display_name[:NAME_MAX]
        row = self.t.one("users", channel=sender.channel, external_id=sender.external_id)
        if row is None:
            row = self.t.insert(
                "users",
                channel=sender.channel,
                external_id=sender.external_id,
                chat_id=sender.chat_id,
                display_name=name,
                language_code=sender.language_code or None,
                locale=None,
                reminders_paused=False,
                digest_weekday=0,
                digest_hour=9,
                reminders_resumed_at=None,
                unreachable=False,
                created_at=now,
            )
            return record(UserInfo, row)
        if name:
            row["display_name"] = name
        if sender.language_code:
            row["language_code"] = sender.language_code
        row["chat_id"] = sender.chat_id
        row["unreachable"] = False  # they wrote to us: they unblocked the bot
        return record(UserInfo, row)

    def member_of(self, user_id: int) -> MembershipInfo | None:
        return self._store.people.membership(user_id)

    def conversation(self, user_id: int, now: datetime) -> Conversation:
        row = self.t.one("conversations", user_id=user_id)
        if row is None:
            row = self.t.insert(
                "conversations",
                user_id=user_id,
                state={},
                version=0,
                updated_at=now,
                replies_event=None,
                replies=None,
            )
        return Conversation(state=copy_json(row["state"]), version=row["version"])

    def save_conversation(
        self,
        user_id: int,
        state: dict[str, object],
        version: int,
        now: datetime,
        kept: KeptReplies | None = None,
    ) -> None:
        row = self.t.one("conversations", user_id=user_id, version=version)
        if row is None:
            raise Conflict(f"conversation of user {user_id} saved by someone else")
        event_id, replies = kept if kept is not None else (None, ())
        self.t.update(
            row,
            state=copy_json(dump(state)),
            version=version + 1,
            updated_at=now,
            replies_event=event_id if replies else None,
            replies=[reply.to_json() for reply in replies] if replies else None,
        )


class FakeDatabase:
    """The database of one test: units of work in turns, each all-or-nothing."""

    def __init__(self) -> None:
        self.tables = Tables()
        self._turns = threading.Lock()
        self.workers = 1
        self.runs = 0  # units of work committed (tests of retries read it)

    def run(self, work: Callable[[Transaction], T]) -> T:
        with self._turns:
            for attempt in range(ATTEMPTS):
                snapshot = self.tables.snapshot()
                try:
                    result = work(FakeTransaction(self.tables))
                    self.tables.snapshot()  # the committed state must still be pure JSON
                except Conflict:
                    self.tables.restore(snapshot)
                    if attempt == ATTEMPTS - 1:
                        raise
                    continue
                except BaseException:
                    self.tables.restore(snapshot)
                    raise
                self.runs += 1
                return result
        raise AssertionError("unreachable: the loop returns or raises")

    def replies_sent(self, sender: Sender, event_id: str) -> None:
        self.run(lambda tx: tx.replies_sent(sender, event_id))

    def close(self) -> None:
        pass

    # What tests inspect (read-only copies).

    def rows(self, table: str) -> list[Row]:
        rows: list[Row] = json.loads(json.dumps(self.tables.ordered(table)))
        return rows

    def count(self, table: str) -> int:
        return len(self.tables.rows(table))

    def user_id(self, external_id: str) -> int:
        found = [r["id"] for r in self.tables.rows("users") if r["external_id"] == external_id]
        assert found, f"no user {external_id!r}"
        return int(found[0])

    def outbox(self, prefix: str = "") -> list[OutboxRow]:
        """Outbox messages whose key starts with `prefix`, oldest first."""
        return [
            record(OutboxRow, row)
            for row in sorted(self.tables.rows("outbox"), key=lambda r: r["id"])
            if row["key"].startswith(prefix)
        ]

    def inbox(self, external_id: str) -> list[Reply]:
        """Every message queued for that person, oldest first."""
        uid = self.user_id(external_id)
        return [row.reply for row in self.outbox() if row.user_id == uid]

    def last_text(self, external_id: str) -> str:
        messages = self.inbox(external_id)
        return messages[-1].text if messages else ""
