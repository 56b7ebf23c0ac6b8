"""Data rights on SQL: exports, erasure of a person, deletion of a collectivité, retention.

Implements `dialogs.ports.PrivacyStore` in the caller's session (nothing here commits), plus the
retention queries the maintenance task runs (`ecoclic.maintenance`). Exports list the stored rows
as they are, section by section, so that a new column shows up in them without a code change;
`tests/helpers/fake_privacy.py` does the same on the fake's tables.

An erased person leaves one row in `users` with no name, messaging id, chat id or language
(`records.ERASED_CHANNEL`): answers, plan history and decisions of the collectivité keep pointing
at it, and the screens call it « un ancien membre ».
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Table, Text, delete, func, or_, select, update
from sqlalchemy.orm import Session

from dialogs.i18n import translator
from dialogs.records import ERASED_CHANNEL, Role
from storage import peers
from storage.models import (
    ActionEvent,
    ActionItem,
    Answer,
    AnswerHistory,
    Attachment,
    Collectivite,
    Conversation,
    Invitation,
    JoinRequest,
    KeyValue,
    Membership,
    OutboxMessage,
    RecommendationProposal,
    Referent,
    ScoreSnapshot,
    User,
)
from storage.outbox import FINISHED

HIDDEN = {"invitations": frozenset({"token"})}  # a live invitation link is no export material
FORMER_MEMBER = "un ancien membre"  # msgid (dialogs/locales/*/privacy.po)
RETENTION_WARNED = "retention-warned:"  # key_values prefix: when the person was last warned
PROPOSALS = RecommendationProposal


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(session: Session, model: Any, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    table = cast(Table, model.__table__)
    hidden = HIDDEN.get(table.name, frozenset())
    columns = [c for c in table.c if c.name not in hidden]
    keys = list(table.primary_key.columns)
    result = session.execute(select(*columns).where(where).order_by(*keys))
    return [{k: _json(v) for k, v in row._mapping.items()} for row in result]


def _ids(rows: Iterable[dict[str, Any]], key: str = "id") -> list[int]:
    return [int(r[key]) for r in rows]


def failures_key(user_id: int) -> str:
    return f"payload-failures:{user_id}"


def warned_key(user_id: int) -> str:
    return f"{RETENTION_WARNED}{user_id}"


def name_pattern(name: str) -> re.Pattern[str] | None:
    """The name as a whole word (None when too short to be told from other words)."""
    name = name.strip()
    if len(name) < 2:
        return None
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def scrub_payload(payload: dict[str, Any], pattern: re.Pattern[str], by: str) -> dict[str, Any]:
    """A notification's text and button labels with the name replaced by `by`."""
    scrubbed = dict(payload)
    scrubbed["text"] = pattern.sub(by, str(payload.get("text", "")))
    scrubbed["buttons"] = [
        [{**b, "label": pattern.sub(by, str(b.get("label", "")))} for b in row]
        for row in payload.get("buttons", [])
    ]
    return scrubbed


def _like_forms(name: str) -> list[str]:
    """How a name may appear inside stored JSON text (raw, or with \\uXXXX escapes)."""
    escaped = json.dumps(name)[1:-1]
    return sorted({name, escaped})


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlPrivacy:
    def __init__(self, session: Session) -> None:
        self.session = session

    # Access

    def export_person(self, user_id: int) -> dict[str, object]:
        s = self.session
        items = _rows(s, ActionItem, ActionItem.assignee_id == user_id)
        memberships = _rows(s, Membership, Membership.user_id == user_id)
        return {
            "account": _rows(s, User, User.id == user_id),
            "memberships": memberships,
            "collectivites": _rows(
                s, Collectivite, Collectivite.id.in_(_ids(memberships, "collectivite_id"))
            ),
            "conversation": _rows(s, Conversation, Conversation.user_id == user_id),
            "answers_given": _rows(s, Answer, Answer.answered_by == user_id),
            "answer_history": _rows(s, AnswerHistory, AnswerHistory.answered_by == user_id),
            "actions_assigned": items,
            "action_history": _rows(
                s,
                ActionEvent,
                or_(ActionEvent.actor_id == user_id, ActionEvent.action_item_id.in_(_ids(items))),
            ),
            "join_requests": _rows(
                s,
                JoinRequest,
                or_(JoinRequest.user_id == user_id, JoinRequest.decided_by == user_id),
            ),
            "invitations": _rows(
                s, Invitation, or_(Invitation.created_by == user_id, Invitation.used_by == user_id)
            ),
            "referent_of": _rows(s, Referent, Referent.user_id == user_id),
            "attachments": _rows(
                s,
                Attachment,
                or_(
                    Attachment.requested_by == user_id,
                    Attachment.decided_by == user_id,
                    Attachment.ended_by == user_id,
                ),
            ),
            "proposals": _rows(
                s,
                PROPOSALS,
                or_(PROPOSALS.created_by == user_id, PROPOSALS.decided_by == user_id),
            ),
            "notifications": _rows(s, OutboxMessage, OutboxMessage.user_id == user_id),
            "settings": _rows(
                s, KeyValue, KeyValue.key.in_([failures_key(user_id), warned_key(user_id)])
            ),
        }

    def export_collectivite(self, collectivite_id: int) -> dict[str, object]:
        s = self.session
        cid = collectivite_id
        members = _rows(s, Membership, Membership.collectivite_id == cid)
        items = _rows(s, ActionItem, ActionItem.collectivite_id == cid)
        people = s.execute(
            select(User.id, User.display_name)
            .where(User.id.in_(_ids(members, "user_id")))
            .order_by(User.id)
        )
        return {
            "collectivite": _rows(s, Collectivite, Collectivite.id == cid),
            "members": members,
            "people": [{"id": i, "display_name": n} for i, n in people.all()],
            "answers": _rows(s, Answer, Answer.collectivite_id == cid),
            "answer_history": _rows(s, AnswerHistory, AnswerHistory.collectivite_id == cid),
            "score_history": _rows(s, ScoreSnapshot, ScoreSnapshot.collectivite_id == cid),
            "actions": items,
            "action_history": _rows(s, ActionEvent, ActionEvent.action_item_id.in_(_ids(items))),
            "invitations": _rows(s, Invitation, Invitation.collectivite_id == cid),
            "join_requests": _rows(s, JoinRequest, JoinRequest.collectivite_id == cid),
            "attachments": _rows(s, Attachment, Attachment.collectivite_id == cid),
            "proposals": _rows(s, PROPOSALS, PROPOSALS.collectivite_id == cid),
        }

    # Erasure

    def erase_person(self, user_id: int, now: datetime, *, own_event: bool = False) -> None:
        s = self.session
        user = s.get(User, user_id)
        if user is None or user.channel == ERASED_CHANNEL:
            return
        self._scrub_name(user_id, user.display_name)
        s.execute(delete(Membership).where(Membership.user_id == user_id))
        s.execute(delete(JoinRequest).where(JoinRequest.user_id == user_id))
        s.execute(delete(Referent).where(Referent.user_id == user_id))
        s.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user_id))
        s.execute(
            delete(KeyValue).where(KeyValue.key.in_([failures_key(user_id), warned_key(user_id)]))
        )
        for item in s.scalars(select(ActionItem).where(ActionItem.assignee_id == user_id)).all():
            item.assignee_id = None
            item.updated_at = now
            s.add(
                ActionEvent(
                    action_item_id=item.id,
                    actor_id=None,
                    field="assignee_id",
                    old_value=str(user_id),
                    new_value=None,
                    at=now,
                )
            )
        if own_event:
            s.execute(update(Conversation).where(Conversation.user_id == user_id).values(state={}))
        else:
            s.execute(delete(Conversation).where(Conversation.user_id == user_id))
        user.channel = ERASED_CHANNEL
        user.external_id = str(user_id)
        user.chat_id = ""
        user.display_name = ""
        user.language_code = None
        user.locale = None
        user.reminders_paused = True
        user.reminders_resumed_at = None
        user.unreachable = True
        s.flush()

    def _scrub_name(self, user_id: int, name: str) -> None:
        """Others' notifications naming the person: the finished ones go, the pending ones say
        « un ancien membre » (in the recipient's language) instead."""
        pattern = name_pattern(name)
        if pattern is None:
            return
        text = sa.cast(OutboxMessage.payload, Text)
        mentions = or_(*(text.like(f"%{_escape_like(f)}%", escape="\\") for f in _like_forms(name)))
        rows = self.session.execute(
            select(OutboxMessage, User.locale, User.language_code)
            .join(User, User.id == OutboxMessage.user_id)
            .where(OutboxMessage.user_id != user_id, mentions)
        ).all()
        for message, locale, language in rows:
            if message.status in FINISHED:
                self.session.delete(message)
                continue
            by = translator(locale or language).gettext(FORMER_MEMBER)
            message.payload = scrub_payload(message.payload, pattern, by)
        self.session.flush()

    def delete_collectivite(self, collectivite_id: int, now: datetime) -> None:
        s = self.session
        row = s.get(Collectivite, collectivite_id)
        if row is None:
            return
        if row.answered_count:
            peers.move(s, row.kind, row.population, row.current_index, None)
        items = select(ActionItem.id).where(ActionItem.collectivite_id == collectivite_id)
        s.execute(delete(PROPOSALS).where(PROPOSALS.collectivite_id == collectivite_id))
        s.execute(delete(ActionEvent).where(ActionEvent.action_item_id.in_(items)))
        for model in (
            ActionItem,
            Answer,
            AnswerHistory,
            ScoreSnapshot,
            Invitation,
            JoinRequest,
            Attachment,
            Membership,
        ):
            s.execute(delete(model).where(model.collectivite_id == collectivite_id))
        s.execute(delete(Collectivite).where(Collectivite.id == collectivite_id))
        s.flush()


# Retention (run by the maintenance task, outside any person's event)


def _last_active() -> Any:
    return func.coalesce(Conversation.updated_at, User.created_at)


def _warned_at(session: Session, only: Collection[int] | None = None) -> dict[int, datetime]:
    """When each person (of `only`) was last warned; only those warned have a row."""
    found: dict[int, datetime] = {}
    keys = (
        KeyValue.key.startswith(RETENTION_WARNED)
        if only is None
        else KeyValue.key.in_([warned_key(uid) for uid in only])
    )
    rows = session.execute(select(KeyValue.key, KeyValue.value).where(keys))
    for key, value in rows.all():
        try:
            found[int(key[len(RETENTION_WARNED) :])] = datetime.fromisoformat(value)
        except ValueError:
            continue
    return found


def inactive_since(
    session: Session, before: datetime, only: Collection[int] | None = None
) -> list[tuple[int, datetime]]:
    """(user id, last activity) of the people not erased whose last event is older than `before`
    (among `only` when given)."""
    last = _last_active()
    query = (
        select(User.id, last)
        .outerjoin(Conversation, Conversation.user_id == User.id)
        .where(User.channel != ERASED_CHANNEL, last < before)
        .order_by(User.id)
    )
    if only is not None:
        query = query.where(User.id.in_(list(only)))
    rows = session.execute(query).all()
    return [(uid, _aware(at)) for uid, at in rows]


def _aware(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_warn(
    session: Session,
    now: datetime,
    retention: timedelta,
    notice: timedelta,
    only: Collection[int] | None = None,
) -> list[tuple[int, datetime]]:
    """People to warn now: inactive for `retention - notice`, not yet warned since."""
    candidates = inactive_since(session, now - retention + notice, only)
    warned = _warned_at(session, only)
    return [(uid, at) for uid, at in candidates if not (uid in warned and warned[uid] > at)]


def mark_warned(session: Session, user_id: int, now: datetime) -> None:
    row = session.get(KeyValue, warned_key(user_id))
    if row is None:
        session.add(KeyValue(key=warned_key(user_id), value=now.isoformat()))
    else:
        row.value = now.isoformat()
    session.flush()


def to_erase(
    session: Session,
    now: datetime,
    retention: timedelta,
    notice: timedelta,
    only: Collection[int] | None = None,
) -> list[int]:
    """People inactive for `retention` who were warned at least `notice` ago (and not since active)."""
    candidates = inactive_since(session, now - retention, only)
    warned = _warned_at(session, only)
    return [
        uid
        for uid, at in candidates
        if uid in warned and warned[uid] > at and warned[uid] <= now - notice
    ]


def hand_over(session: Session, user_id: int, collectivite_id: int) -> tuple[int, int] | None:
    """Before erasing the last administrator of a team that has other members, make the member
    who joined first administrator: (collectivité id, new administrator) or None. A person of
    several collectivités is handed over in each (one call per collectivité)."""
    mine = session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.collectivite_id == collectivite_id
        )
    )
    if mine is None or mine.role != Role.ADMIN:
        return None
    others = session.scalars(
        select(Membership)
        .where(Membership.collectivite_id == mine.collectivite_id, Membership.user_id != user_id)
        .order_by(Membership.id)
    ).all()
    if not others or any(m.role == Role.ADMIN for m in others):
        return None
    others[0].role = Role.ADMIN
    session.flush()
    return mine.collectivite_id, others[0].user_id


def user_id_of(session: Session, channel: str, external_id: str) -> int | None:
    """The person known on `channel` by `external_id` (never an erased one)."""
    return session.scalar(
        select(User.id).where(
            User.channel == channel,
            User.external_id == external_id,
            User.channel != ERASED_CHANNEL,
        )
    )
