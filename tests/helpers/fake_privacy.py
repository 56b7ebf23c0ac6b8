"""The privacy aggregate of the fake store: exports, erasure and collectivité deletion, as
storage/privacy.py does them in SQL (the contract suite checks they agree)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from dialogs.i18n import translator
from dialogs.records import ERASED_CHANNEL
from storage.privacy import (
    FORMER_MEMBER,
    HIDDEN,
    failures_key,
    name_pattern,
    scrub_payload,
    warned_key,
)
from tests.helpers.fake_data import Row, Tables, copy_json

FINISHED = ("sent", "undeliverable")


class FakePrivacy:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def _rows(self, table: str, keep: Callable[[Row], bool]) -> list[dict[str, Any]]:
        hidden = HIDDEN.get(table, frozenset())
        rows = [r for r in self.t.ordered(table) if keep(r)]
        return [{k: v for k, v in copy_json(r).items() if k not in hidden} for r in rows]

    def export_person(self, user_id: int) -> dict[str, object]:
        uid = user_id
        items = self._rows("action_items", lambda r: r["assignee_id"] == uid)
        item_ids = {r["id"] for r in items}
        memberships = self._rows("memberships", lambda r: r["user_id"] == uid)
        cids = {r["collectivite_id"] for r in memberships}
        keys = {failures_key(uid), warned_key(uid)}
        return {
            "account": self._rows("users", lambda r: r["id"] == uid),
            "memberships": memberships,
            "collectivites": self._rows("collectivites", lambda r: r["id"] in cids),
            "conversation": self._rows("conversations", lambda r: r["user_id"] == uid),
            "answers_given": self._rows("answers", lambda r: r["answered_by"] == uid),
            "answer_history": self._rows("answer_history", lambda r: r["answered_by"] == uid),
            "actions_assigned": items,
            "action_history": self._rows(
                "action_events",
                lambda r: r["actor_id"] == uid or r["action_item_id"] in item_ids,
            ),
            "join_requests": self._rows(
                "join_requests", lambda r: uid in (r["user_id"], r["decided_by"])
            ),
            "invitations": self._rows(
                "invitations", lambda r: uid in (r["created_by"], r["used_by"])
            ),
            "referent_of": self._rows("referents", lambda r: r["user_id"] == uid),
            "attachments": self._rows(
                "attachments",
                lambda r: uid in (r["requested_by"], r["decided_by"], r["ended_by"]),
            ),
            "proposals": self._rows(
                "recommendation_proposals", lambda r: uid in (r["created_by"], r["decided_by"])
            ),
            "notifications": self._rows("outbox", lambda r: r["user_id"] == uid),
            "settings": self._rows("key_values", lambda r: r["key"] in keys),
        }

    def export_collectivite(self, collectivite_id: int) -> dict[str, object]:
        cid = collectivite_id

        def mine(row: Row) -> bool:
            return bool(row["collectivite_id"] == cid)

        members = self._rows("memberships", mine)
        uids = {r["user_id"] for r in members}
        items = self._rows("action_items", mine)
        item_ids = {r["id"] for r in items}
        return {
            "collectivite": self._rows("collectivites", lambda r: r["id"] == cid),
            "members": members,
            "people": [
                {"id": r["id"], "display_name": r["display_name"]}
                for r in self.t.ordered("users")
                if r["id"] in uids
            ],
            "answers": self._rows("answers", mine),
            "answer_history": self._rows("answer_history", mine),
            "score_history": self._rows("score_snapshots", mine),
            "actions": items,
            "action_history": self._rows(
                "action_events", lambda r: r["action_item_id"] in item_ids
            ),
            "invitations": self._rows("invitations", mine),
            "join_requests": self._rows("join_requests", mine),
            "attachments": self._rows("attachments", mine),
            "proposals": self._rows("recommendation_proposals", mine),
        }

    def erase_person(self, user_id: int, now: datetime, *, own_event: bool = False) -> None:
        t = self.t
        user = t.get("users", user_id)
        if user is None or user["channel"] == ERASED_CHANNEL:
            return
        self._scrub_name(user_id, user["display_name"])
        for table, column in (
            ("memberships", "user_id"),
            ("join_requests", "user_id"),
            ("referents", "user_id"),
            ("outbox", "user_id"),
        ):
            t.delete(table, t.where(table, **{column: user_id}))
        keys = {failures_key(user_id), warned_key(user_id)}
        t.delete("key_values", [r for r in t.rows("key_values") if r["key"] in keys])
        for item in t.where("action_items", assignee_id=user_id):
            t.update(item, assignee_id=None, updated_at=now)
            t.insert(
                "action_events",
                action_item_id=item["id"],
                actor_id=None,
                field="assignee_id",
                old_value=str(user_id),
                new_value=None,
                at=now,
            )
        conversations = t.where("conversations", user_id=user_id)
        if own_event:
            for row in conversations:
                t.update(row, state={})
        else:
            t.delete("conversations", conversations)
        t.update(
            user,
            channel=ERASED_CHANNEL,
            external_id=str(user_id),
            chat_id="",
            display_name="",
            language_code=None,
            locale=None,
            reminders_paused=True,
            reminders_resumed_at=None,
            unreachable=True,
        )

    def _scrub_name(self, user_id: int, name: str) -> None:
        pattern = name_pattern(name)
        if pattern is None:
            return
        gone = []
        for message in self.t.rows("outbox"):
            if message["user_id"] == user_id or not pattern.search(str(message["payload"])):
                continue
            if message["status"] in FINISHED:
                gone.append(message)
                continue
            target = self.t.get("users", message["user_id"]) or {}
            tr = translator(target.get("locale") or target.get("language_code"))
            scrubbed = scrub_payload(message["payload"], pattern, tr.gettext(FORMER_MEMBER))
            self.t.update(message, payload=scrubbed)
        self.t.delete("outbox", gone)

    def delete_collectivite(self, collectivite_id: int, now: datetime) -> None:
        t = self.t
        if t.get("collectivites", collectivite_id) is None:
            return
        items = {r["id"] for r in t.where("action_items", collectivite_id=collectivite_id)}
        t.delete(
            "recommendation_proposals",
            t.where("recommendation_proposals", collectivite_id=collectivite_id),
        )
        t.delete(
            "action_events", [r for r in t.rows("action_events") if r["action_item_id"] in items]
        )
        for table in (
            "action_items",
            "answers",
            "answer_history",
            "score_snapshots",
            "invitations",
            "join_requests",
            "attachments",
            "memberships",
        ):
            t.delete(table, t.where(table, collectivite_id=collectivite_id))
        t.delete("collectivites", t.where("collectivites", id=collectivite_id))
