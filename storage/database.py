"""The unit of work around one event, on SQL: `SqlDatabase` implements `dialogs.ports.Database`.

A `SqlTransaction` is one session inside one transaction: the store, plus what the service needs
around the engine (the processed-event dedupe, the user upsert, the versioned conversation).

Every event starts the same way, so that start is cheap: one `INSERT … ON CONFLICT DO NOTHING`
claims the event, and one query reads the sender's user, conversation, active membership (and how
many they have), collectivité and its answers; the store then answers from that read instead of
asking again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import ReturningInsert

from dialogs.events import Sender
from dialogs.ports import Conflict, KeptReplies, Transaction
from dialogs.records import CollectiviteInfo, Conversation, MembershipInfo, Role, UserInfo
from dialogs.replies import Reply
from storage.answers import Standing
from storage.db import HeldConnection, insert_or
from storage.memberships import active_order, rowcount
from storage.models import Answer, Collectivite, Membership, ProcessedEvent, User
from storage.models import Conversation as ConversationRow
from storage.store import SqlStore
from storage.transactions import run_transaction

T = TypeVar("T")
NAME_MAX = 128  # users.display_name

USERS = cast(Table, User.__table__)
CONVERSATIONS = cast(Table, ConversationRow.__table__)
MEMBERSHIPS = cast(Table, Membership.__table__)
COLLECTIVITES = cast(Table, Collectivite.__table__)
ANSWERS = cast(Table, Answer.__table__)
PROCESSED = cast(Table, ProcessedEvent.__table__)


def _answers_json(dialect: str) -> Any:
    """The collectivité's answers as one JSON object, in the same row as the user."""
    a = ANSWERS.c
    agg = func.json_object_agg if dialect == "postgresql" else func.json_group_object
    return (
        select(agg(a.question_id, a.value))
        .where(a.collectivite_id == COLLECTIVITES.c.id)
        .scalar_subquery()
    )


def _sender_query(dialect: str) -> Any:
    u, c, m, k = USERS.c, CONVERSATIONS.c, MEMBERSHIPS.c, COLLECTIVITES.c
    # A person may belong to several collectivités: the join keeps the active one only
    # (storage.memberships.active_order), and the row says how many there are.
    mine = MEMBERSHIPS.alias("mine")
    active = (
        select(mine.c.id)
        .where(mine.c.user_id == u.id)
        .order_by(*active_order(mine.c.chosen_rank, mine.c.id))
        .limit(1)
        .scalar_subquery()
    )
    count = select(func.count()).select_from(mine).where(mine.c.user_id == u.id).scalar_subquery()
    channel = bindparam("b_channel", type_=u.channel.type)
    external_id = bindparam("b_external_id", type_=u.external_id.type)
    return (
        select(
            u.id, u.chat_id, u.display_name, u.locale, u.language_code, u.unreachable,
            c.state, c.version, c.replies_event, c.replies, m.role, m.function_label,
            k.id.label("cid"), k.siret, k.kind, k.name, k.departement, k.population,
            k.level2_enabled, k.current_index, k.answered_count,
            _answers_json(dialect).label("answers"), count.label("memberships"),
        )
        .select_from(
            USERS.outerjoin(CONVERSATIONS, c.user_id == u.id)
            .outerjoin(MEMBERSHIPS, m.id == active)
            .outerjoin(COLLECTIVITES, k.id == m.collectivite_id)
        )
        .where(u.channel == channel, u.external_id == external_id)
    )  # fmt: skip


# The statements of every event, built once (per dialect where it differs): a call binds its
# values and SQLAlchemy reuses the statement's cache key and compiled form instead of building
# clauses again. Parameters named `b_…` never clash with the names of VALUES or SET columns.
_SENDER_QUERIES: dict[str, Any] = {}
_CLAIMS: dict[str, ReturningInsert[Any]] = {}
_REPLIES_SENT = (
    update(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.replies_event
        == bindparam("b_key", type_=CONVERSATIONS.c.replies_event.type),
        CONVERSATIONS.c.user_id
        == select(USERS.c.id)
        .where(
            USERS.c.channel == bindparam("b_channel", type_=USERS.c.channel.type),
            USERS.c.external_id == bindparam("b_external_id", type_=USERS.c.external_id.type),
        )
        .scalar_subquery(),
    )
    .values(replies_event=None, replies=None)
)
_UPDATE_USER = update(USERS).where(USERS.c.id == bindparam("b_id", type_=USERS.c.id.type))
_READ_CONVERSATION = select(
    CONVERSATIONS.c.state,
    CONVERSATIONS.c.version,
    CONVERSATIONS.c.replies_event,
    CONVERSATIONS.c.replies,
).where(CONVERSATIONS.c.user_id == bindparam("b_user_id", type_=CONVERSATIONS.c.user_id.type))
_INSERT_CONVERSATION = insert(CONVERSATIONS)
_SAVE_CONVERSATION = (
    update(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.user_id == bindparam("b_user_id", type_=CONVERSATIONS.c.user_id.type),
        CONVERSATIONS.c.version == bindparam("b_version", type_=CONVERSATIONS.c.version.type),
    )
    .values(
        state=bindparam("b_state", type_=CONVERSATIONS.c.state.type),
        version=bindparam("b_next_version", type_=CONVERSATIONS.c.version.type),
        updated_at=bindparam("b_now", type_=CONVERSATIONS.c.updated_at.type),
        replies_event=bindparam("b_replies_event", type_=CONVERSATIONS.c.replies_event.type),
        replies=bindparam("b_replies", type_=CONVERSATIONS.c.replies.type),
    )
)


def _claim(session: Session, dialect: str) -> ReturningInsert[Any]:
    found = _CLAIMS.get(dialect)
    if found is None:
        found = _CLAIMS[dialect] = (
            insert_or(session, PROCESSED)
            .on_conflict_do_nothing(index_elements=[PROCESSED.c.key])
            .returning(PROCESSED.c.key)
        )
    return found


class SqlTransaction:
    """Implements `dialogs.ports.Transaction` in one session; the caller commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._store = SqlStore(session)
        self._dialect = session.get_bind().dialect.name
        # What user_for read, used once by conversation() and member_of() (None: no row yet).
        self._conversations: dict[int, Conversation | None] = {}
        self._members: dict[int, MembershipInfo | None] = {}
        self._kept: dict[int, tuple[str | None, Any]] = {}  # replies_event, replies

    @property
    def store(self) -> SqlStore:
        return self._store

    def claim_event(self, event_id: str, now: datetime) -> bool:
        # A concurrent claim of the same id waits for ours, then inserts nothing. RETURNING says
        # whether a row went in (an INSERT's row count is not reported by every driver).
        claimed = self.session.scalar(
            _claim(self.session, self._dialect), {"key": event_id, "processed_at": now}
        )
        return claimed is not None

    def unsent_replies(self, user_id: int, event_id: str) -> tuple[Reply, ...]:
        kept = self._kept.pop(user_id, None)
        if kept is None:
            row = self.session.execute(_READ_CONVERSATION, {"b_user_id": user_id}).first()
            kept = (row.replies_event, row.replies) if row is not None else (None, None)
        key, raw = kept
        if key != event_id:
            return ()
        if isinstance(raw, str):  # SQLite may give the JSON text
            raw = json.loads(raw)
        return tuple(Reply.from_json(item) for item in raw or ())

    def replies_sent(self, sender: Sender, event_id: str) -> None:
        self.session.execute(
            _REPLIES_SENT,
            {"b_key": event_id, "b_channel": sender.channel, "b_external_id": sender.external_id},
        )

    def user_for(self, sender: Sender, now: datetime) -> UserInfo:
        name = sender.display_name[:NAME_MAX]
        query = _SENDER_QUERIES.get(self._dialect)
        if query is None:
            query = _SENDER_QUERIES[self._dialect] = _sender_query(self._dialect)
        params = {"b_channel": sender.channel, "b_external_id": sender.external_id}
        row = self.session.execute(query, params).first()
        if row is None:
            return self._new_user(sender, name, now)
        user = UserInfo(
            id=row.id,
            channel=sender.channel,
            external_id=sender.external_id,
            chat_id=sender.chat_id,
            display_name=name or row.display_name,
            locale=row.locale,
            language_code=sender.language_code or row.language_code,
        )
        changes: dict[str, object] = {}
        if user.display_name != row.display_name:
            changes["display_name"] = user.display_name
        if user.language_code != row.language_code:
            changes["language_code"] = user.language_code
        if user.chat_id != row.chat_id:
            changes["chat_id"] = user.chat_id
        if row.unreachable:
            changes["unreachable"] = False  # they wrote to us: they unblocked the bot
        if changes:
            self.session.execute(_UPDATE_USER, {"b_id": user.id, **changes})
        self._conversations[user.id] = (
            None if row.version is None else Conversation(state=row.state, version=row.version)
        )
        self._kept[user.id] = (row.replies_event, row.replies)
        self._members[user.id] = self._member(row)
        return user

    def _member(self, row: Any) -> MembershipInfo | None:
        if row.cid is None:
            return None
        collectivite = CollectiviteInfo(
            id=row.cid,
            siret=row.siret,
            kind=row.kind,
            name=row.name,
            departement=row.departement,
            population=row.population,
            level2_enabled=row.level2_enabled,
        )
        answers = row.answers
        if isinstance(answers, str):  # SQLite gives the JSON text, psycopg the decoded value
            answers = json.loads(answers)
        self._store.answers.known(
            row.cid,
            dict(answers or {}),
            Standing(row.kind, row.population, row.current_index, row.answered_count),
        )
        return MembershipInfo(collectivite, Role(row.role), row.function_label, row.memberships)

    def _new_user(self, sender: Sender, name: str, now: datetime) -> UserInfo:
        user_id = self.session.scalar(
            insert(USERS)
            .values(
                channel=sender.channel,
                external_id=sender.external_id,
                chat_id=sender.chat_id,
                display_name=name,
                language_code=sender.language_code or None,
                locale=None,
                reminders_paused=False,
                digest_weekday=0,
                digest_hour=9,
                unreachable=False,
                created_at=now,
            )
            .returning(USERS.c.id)
        )
        assert user_id is not None
        self._conversations[user_id] = None
        self._members[user_id] = None
        return UserInfo(
            id=user_id,
            channel=sender.channel,
            external_id=sender.external_id,
            chat_id=sender.chat_id,
            display_name=name,
            locale=None,
            language_code=sender.language_code or None,
        )

    def member_of(self, user_id: int) -> MembershipInfo | None:
        if user_id in self._members:
            return self._members.pop(user_id)
        return self._store.people.membership(user_id)

    def conversation(self, user_id: int, now: datetime) -> Conversation:
        if user_id in self._conversations:
            known = self._conversations.pop(user_id)
            if known is not None:
                return known  # freshly decoded by user_for's read: nobody else holds its state
        else:
            row = self.session.execute(_READ_CONVERSATION, {"b_user_id": user_id}).first()
            if row is not None:
                return Conversation(state=row.state, version=row.version)
        self.session.execute(
            _INSERT_CONVERSATION, {"user_id": user_id, "state": {}, "version": 0, "updated_at": now}
        )
        return Conversation(state={}, version=0)

    def save_conversation(
        self,
        user_id: int,
        state: dict[str, object],
        version: int,
        now: datetime,
        kept: KeptReplies | None = None,
    ) -> None:
        event_id, replies = kept if kept is not None else (None, ())
        result = self.session.execute(
            _SAVE_CONVERSATION,
            {
                "b_user_id": user_id,
                "b_version": version,
                "b_state": state,
                "b_next_version": version + 1,
                "b_now": now,
                "b_replies_event": event_id if replies else None,
                "b_replies": [reply.to_json() for reply in replies] if replies else None,
            },
        )
        if rowcount(result) != 1:
            raise Conflict(f"conversation of user {user_id} saved by someone else")


class SqlDatabase:
    """Implements `dialogs.ports.Database`: each `run` is one transaction, retried when transient."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        # SQLite has one writer at a time: more than one worker thread would only queue on its
        # write lock. PostgreSQL serves several units of work at once.
        bind = sessions.kw.get("bind")
        sqlite = bind is not None and bind.dialect.name == "sqlite"
        self.workers = 1 if sqlite else 4
        self._marks = HeldConnection(bind) if isinstance(bind, Engine) else None

    def run(self, work: Callable[[Transaction], T]) -> T:
        def in_session(session: Session) -> T:
            return work(SqlTransaction(session))

        return run_transaction(self.sessions, in_session)

    def replies_sent(self, sender: Sender, event_id: str) -> None:
        """One UPDATE in its own transaction, on a connection kept for it: the channel calls this
        once per update, as soon as the replies are out."""
        params = {
            "b_key": event_id,
            "b_channel": sender.channel,
            "b_external_id": sender.external_id,
        }
        if self._marks is None:
            self.run(lambda tx: tx.replies_sent(sender, event_id))
            return
        with self._marks.begin() as connection:
            connection.execute(_REPLIES_SENT, params)

    def close(self) -> None:
        """Give back the connection kept for `replies_sent` (the service is closing)."""
        if self._marks is not None:
            self._marks.close()
