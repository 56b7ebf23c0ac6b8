"""Reminder keys, built in SQL so that the outbox's unique index says which reminders are queued.

What to look for comes from dialogs.reminders.window; the protocols below name what storage reads
of it (storage knows records and ports, not features). `day_number` and `iso_date` compute in SQL,
on SQLite and PostgreSQL alike, what `dialogs.reminders.window.day_number` and `date.isoformat()`
compute in Python.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Integer, String, and_, case, cast, exists, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.models import ActionItem, OutboxMessage


class DueSearch(Protocol):
    """`dialogs.reminders.window.DueWindow`, as storage reads it."""

    @property
    def latest_due(self) -> date: ...
    @property
    def explicit_from(self) -> date: ...
    @property
    def explicit(self) -> Mapping[date, str]: ...
    @property
    def weekly(self) -> Mapping[int, str]: ...
    @property
    def snoozed_since(self) -> date: ...
    @property
    def day(self) -> date: ...


class DigestSearch(Protocol):
    """`dialogs.reminders.window.DigestWindow`, as storage reads it."""

    @property
    def slots(self) -> Collection[int]: ...
    @property
    def week(self) -> str: ...


class MonthSearch(Protocol):
    """`dialogs.reminders.window.MonthWindow`, as storage reads it."""

    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def day(self) -> date: ...
    @property
    def suffix(self) -> str: ...


class day_number(FunctionElement[int]):
    """Days since 1970-01-01 of a DATE column, as `dialogs.reminders.window.day_number`."""

    type = Integer()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"


class iso_date(FunctionElement[str]):
    """A DATE column as 'YYYY-MM-DD' text, as `date.isoformat()` writes it in the keys."""

    type = String()
    inherit_cache = True


@compiles(iso_date, "sqlite")
def _iso_date_sqlite(element: iso_date, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)  # SQLite stores dates as ISO text already


@compiles(iso_date, "postgresql")
def _iso_date_postgresql(element: iso_date, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


def not_queued(key: ColumnElement[str]) -> ColumnElement[bool]:
    return ~exists().where(OutboxMessage.key == key)


def _weekly_suffix(window: DueSearch, anchor: ColumnElement[int]) -> ColumnElement[str | None]:
    if not window.weekly:
        return literal(None, String)
    return case(dict(window.weekly), value=anchor % 7)


def due_filter(window: DueSearch) -> ColumnElement[bool]:
    """Items whose current due-date reminder (the window's key for their due date) may not be
    queued yet, and every item snoozed recently (see dialogs.reminders.window)."""
    due, snoozed = ActionItem.due_date, ActionItem.snoozed_until

    def key(suffix: ColumnElement[str | None]) -> ColumnElement[str]:
        return literal("due:") + cast(ActionItem.id, String) + ":" + iso_date(due) + suffix

    weekly = _weekly_suffix(window, day_number(due) + 1)
    suffix: ColumnElement[str | None] = weekly
    if window.explicit:
        suffix = case(
            (due >= window.explicit_from, case(dict(window.explicit), value=due)), else_=weekly
        )
    else:
        suffix = weekly
    plain = and_(
        or_(snoozed.is_(None), and_(snoozed <= due, snoozed < window.snoozed_since)),
        or_(due.in_(sorted(window.explicit)), due < window.explicit_from),
        not_queued(key(suffix)),
    )
    recent_snooze = and_(snoozed >= window.snoozed_since, snoozed <= window.day)
    old_snooze_past_due = and_(
        snoozed > due,
        snoozed < window.snoozed_since,
        not_queued(key(_weekly_suffix(window, day_number(snoozed)))),
    )
    return and_(
        due.is_not(None),
        due <= window.latest_due,
        or_(plain, recent_snooze, old_snooze_past_due),
    )
