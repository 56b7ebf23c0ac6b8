"""One scheduler tick: what is due at instant T, from what is stored, queued in the outbox.

No in-memory timer: each tick recomputes from the action items, the people's settings and the
score history, then inserts the messages whose stable key is not in the outbox yet. Running a tick
twice, or on two processes, or after a restart, queues nothing twice (the key is unique).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.i18n import Translator, translator
from dialogs.plan.ports import OPEN_STATUSES, REALISE, ActionItemInfo
from dialogs.plan.schedule import (
    at_local,
    current_due_stage,
    digest_week_due,
    is_allowed,
    monthly_due,
    today,
)
from dialogs.reminders.texts import MonthlySummary, digest_reply, due_reply, monthly_reply
from dialogs.replies import Reply
from referential.models import Referential
from storage.models import (
    ActionEvent,
    ActionItem,
    Collectivite,
    Membership,
    OutboxMessage,
    ScoreSnapshot,
    User,
)
from storage.plan import item_info

KEY_CHUNK = 500


@dataclass(frozen=True)
class Person:
    """What a tick needs to know about a recipient (read as plain columns: ticks run every minute
    over every open assigned item, so no ORM objects)."""

    id: int
    channel: str
    chat_id: str
    display_name: str
    locale: str | None
    language_code: str | None
    digest_weekday: int
    digest_hour: int
    resumed_at: datetime | None


PERSON_COLUMNS = (
    User.id.label("user_id"),
    User.channel,
    User.chat_id,
    User.display_name,
    User.locale,
    User.language_code,
    User.digest_weekday,
    User.digest_hour,
    User.reminders_resumed_at,
)
REACHABLE = and_(User.reminders_paused.is_(False), User.unreachable.is_(False))


def _person(row: Any) -> Person:
    return Person(
        id=row.user_id,
        channel=row.channel,
        chat_id=row.chat_id,
        display_name=row.display_name,
        locale=row.locale,
        language_code=row.language_code,
        digest_weekday=row.digest_weekday,
        digest_hour=row.digest_hour,
        resumed_at=row.reminders_resumed_at,
    )


@dataclass(frozen=True)
class Planned:
    key: str
    user: Person
    render: Callable[[Translator], Reply]


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


async def _assigned(
    session: AsyncSession, ref: Referential
) -> list[tuple[ActionItemInfo, datetime | None, Person]]:
    """Open, unmuted items whose assignee still belongs to the item's collectivité and accepts
    reminders, with the item's `reminders_from`."""
    shown = {q.id for q in ref.level_questions(1)}
    rows = await session.execute(
        select(ActionItem, *PERSON_COLUMNS)
        .join(User, User.id == ActionItem.assignee_id)
        .join(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.collectivite_id == ActionItem.collectivite_id,
            ),
        )
        .where(
            ActionItem.status.in_(OPEN_STATUSES), ActionItem.reminders_muted.is_(False), REACHABLE
        )
        .order_by(ActionItem.id)
    )
    people: dict[int, Person] = {}
    found = []
    for row in rows.all():
        item = row[0]
        if item.question_id not in shown:
            continue
        person = people.get(row.user_id) or _person(row)
        people[person.id] = person
        found.append((item_info(item, person.display_name), item.reminders_from, person))
    return found


def _personal(
    assigned: list[tuple[ActionItemInfo, datetime | None, Person]],
    ref: Referential,
    now: datetime,
    tz: str,
) -> list[Planned]:
    """Due-date reminders and weekly digests."""
    day = today(now, tz)
    planned: list[Planned] = []
    per_user: dict[int, tuple[Person, list[ActionItemInfo]]] = {}
    for info, reminders_from, user in assigned:
        per_user.setdefault(user.id, (user, []))[1].append(info)
        if info.due_date is None:
            continue
        not_before = _later(reminders_from, user.resumed_at)
        stage = current_due_stage(info.due_date, info.snoozed_until, now, tz, not_before)
        if stage is not None:
            planned.append(
                Planned(
                    stage.key(info.id, info.due_date),
                    user,
                    partial(due_reply, ref=ref, item=info, day=day),
                )
            )
    for user, items in per_user.values():
        week = digest_week_due(now, user.digest_weekday, user.digest_hour, tz, user.resumed_at)
        if week is not None:
            render = partial(digest_reply, ref=ref, name=user.display_name, items=items, day=day)
            planned.append(Planned(f"digest:{user.id}:{week}", user, render))
    return planned


async def _last_index(session: AsyncSession, collectivite_id: int, before: datetime) -> int | None:
    return await session.scalar(
        select(ScoreSnapshot.index)
        .where(ScoreSnapshot.collectivite_id == collectivite_id, ScoreSnapshot.created_at < before)
        .order_by(ScoreSnapshot.created_at.desc(), ScoreSnapshot.id.desc())
        .limit(1)
    )


async def monthly_summary(
    session: AsyncSession, collectivite: Collectivite, year: int, month: int, tz: str, day: date
) -> MonthlySummary:
    """Index change over the month, items set to réalisé in it, overdue and open items today."""
    start = at_local(date(year, month, 1), 0, tz)
    end = at_local(date(year + month // 12, month % 12 + 1, 1), 0, tz)
    items = list(
        await session.scalars(
            select(ActionItem).where(ActionItem.collectivite_id == collectivite.id)
        )
    )
    done = await session.scalar(
        select(func.count(func.distinct(ActionEvent.action_item_id)))
        .join(ActionItem, ActionItem.id == ActionEvent.action_item_id)
        .where(
            ActionItem.collectivite_id == collectivite.id,
            ActionEvent.field == "status",
            ActionEvent.new_value == REALISE,
            ActionEvent.at >= start,
            ActionEvent.at < end,
        )
    )
    open_items = [i for i in items if i.status in OPEN_STATUSES]
    return MonthlySummary(
        collectivite=collectivite.name,
        year=year,
        month=month,
        index_before=await _last_index(session, collectivite.id, start),
        index_after=await _last_index(session, collectivite.id, end) or 0,
        done=done or 0,
        overdue=sum(1 for i in open_items if i.due_date is not None and i.due_date < day),
        open=len(open_items),
    )


async def _monthly(session: AsyncSession, now: datetime, tz: str) -> list[Planned]:
    """The monthly summary for the administrators of every collectivité that has a plan.
    Summaries are computed only for keys not queued yet (the day's later ticks cost one query)."""
    if monthly_due(now, tz) is None:
        return []
    rows = await session.execute(
        select(Collectivite, *PERSON_COLUMNS)
        .join(Membership, Membership.collectivite_id == Collectivite.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.role == "admin",
            REACHABLE,
            Collectivite.id.in_(select(ActionItem.collectivite_id).distinct()),
        )
        .order_by(Collectivite.id, User.id)
    )
    wanted: list[tuple[str, Collectivite, Person, tuple[int, int]]] = []
    for row in rows.all():
        collectivite, user = row[0], _person(row)
        due = monthly_due(now, tz, user.resumed_at)
        if due is not None:
            key = f"monthly:{user.id}:{collectivite.id}:{due[0]:04d}-{due[1]:02d}"
            wanted.append((key, collectivite, user, due))
    existing = await _existing(session, (key for key, *_ in wanted))
    planned: list[Planned] = []
    summaries: dict[int, MonthlySummary] = {}
    for key, collectivite, user, (year, month) in wanted:
        if key in existing:
            continue
        if collectivite.id not in summaries:
            summaries[collectivite.id] = await monthly_summary(
                session, collectivite, year, month, tz, today(now, tz)
            )
        planned.append(
            Planned(key, user, partial(monthly_reply, summary=summaries[collectivite.id]))
        )
    return planned


async def _existing(session: AsyncSession, keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        found.update(
            await session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk)))
        )
    return found


async def tick(
    session: AsyncSession,
    ref: Referential,
    now: datetime,
    *,
    tz: str = "Europe/Paris",
    default_locale: str = "fr",
) -> int:
    """Queue every reminder due at `now` that is not queued yet; returns how many were queued.
    Runs in the caller's transaction (the caller commits)."""
    if not is_allowed(now, tz):
        return 0
    planned = _personal(await _assigned(session, ref), ref, now, tz)
    planned += await _monthly(session, now, tz)
    existing = await _existing(session, (p.key for p in planned))
    rows = [
        outbox_row(entry, entry.render(_translator(entry.user, default_locale)), now)
        for entry in planned
        if entry.key not in existing
    ]
    return await _insert(session, rows)


def _translator(user: Person, default_locale: str) -> Translator:
    return translator(user.locale or user.language_code or default_locale)


def outbox_row(entry: Planned, reply: Reply, now: datetime) -> dict[str, object]:
    """The same row `storage.store.enqueue_message` writes, for a bulk insert."""
    return {
        "key": entry.key,
        "user_id": entry.user.id,
        "channel": entry.user.channel,
        "chat_id": entry.user.chat_id,
        "payload": reply.to_json(),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


async def _insert(session: AsyncSession, rows: list[dict[str, object]]) -> int:
    """Insert, skipping keys another process queued meanwhile; returns how many went in."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    queued = 0
    for start in range(0, len(rows), KEY_CHUNK):
        statement = (
            dialect_insert(OutboxMessage)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.key)
        )
        result = await session.execute(statement, rows[start : start + KEY_CHUNK])
        queued += len(result.all())
    return queued


async def tick_once(
    sessions: async_sessionmaker[AsyncSession],
    ref: Referential,
    now: datetime,
    *,
    tz: str = "Europe/Paris",
    default_locale: str = "fr",
    attempts: int = 5,
) -> int:
    """A tick in its own transaction. Another process ticking at the same moment may make it fail
    (SQLite lock, or the same key inserted first): the tick is idempotent, so it simply runs again."""
    for attempt in range(attempts):
        try:
            async with sessions() as session, session.begin():
                return await tick(session, ref, now, tz=tz, default_locale=default_locale)
        except (OperationalError, IntegrityError):
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))
    return 0
