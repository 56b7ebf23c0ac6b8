"""What one tick looks for, decided before any query: the due dates whose reminder may be new at
that instant (and its key), the digest slots due, the month to summarise.

The calendar (dialogs.plan.schedule) says which reminder an item has at an instant. Without a
snooze that depends on its due date alone, so the tick works it out here once per due date, in
Python, and storage only has to look for items whose reminder key is not in the outbox yet. Every
minute of the reminder hours that finds nothing, instead of loading every open item to find out.

Three kinds of items, by snooze:
- none, or one long past and before the due date: the key of the current stage is a function of
  the due date: `explicit` for recent due dates, `weekly` (by day number modulo 7 of the overdue
  reminders' anchor, the day after the due date) for older ones;
- a snooze past the due date and long past: weekly reminders anchored on the snooze day, `weekly`;
- a recent snooze (`snoozed_since` to today): few; storage hands them all over, planning decides.

What storage returns is a superset that planning decides on exactly (dialogs.reminders.planning),
so these tables may only widen a search, never narrow what the calendar says is due. A reminder
whose day is further back than these windows (a downtime of over a week) is not sent late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dialogs.plan.schedule import (
    at_local,
    current_due_stage,
    digest_week_due,
    is_allowed,
    iso_week,
    monthly_due,
    today,
)

EPOCH = date(1970, 1, 1)
EXPLICIT_DAYS = 21  # due dates this recent get their stage one by one
RECENT_SNOOZE_DAYS = 10  # longer than the longest gap between two stages of an item (J-7 → J-1)
REACH = 7  # no reminder before J-7


def day_number(day: date) -> int:
    """Days since 1970-01-01 (storage computes the same number in SQL)."""
    return (day - EPOCH).days


@dataclass(frozen=True)
class DueWindow:
    """The due-date reminders a tick looks for; keys read `due:{item}:{due date}{suffix}`."""

    latest_due: date  # no reminder yet for an item due later
    explicit_from: date  # due dates from this day on are in `explicit`
    explicit: dict[date, str]  # due date → ":{stage}:{day}" of its current reminder
    weekly: dict[int, str]  # day number of the anchor % 7 → ":od:{day}" (older due dates)
    snoozed_since: date  # snoozes from this day to today: every such item is a candidate
    day: date


@dataclass(frozen=True)
class DigestWindow:
    """Weekly digests due: people whose `digest_weekday * 24 + digest_hour` is in `slots`."""

    slots: frozenset[int]
    week: str  # "2026-W50", in the key `digest:{user}:{week}`


@dataclass(frozen=True)
class MonthWindow:
    """The monthly summary due: keys `monthly:{user}:{collectivite}:{year:04d}-{month:02d}`."""

    year: int
    month: int
    start: datetime
    end: datetime
    day: date

    @property
    def suffix(self) -> str:
        return f":{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class TickWindow:
    now: datetime
    tz: str
    due: DueWindow
    digest: DigestWindow | None
    month: MonthWindow | None


def due_window(now: datetime, tz: str) -> DueWindow:
    day = today(now, tz)
    explicit_from = day - timedelta(days=EXPLICIT_DAYS)
    explicit: dict[date, str] = {}
    due = explicit_from
    while due <= day + timedelta(days=REACH):
        stage = current_due_stage(due, None, now, tz)
        if stage is not None:
            explicit[due] = f":{stage.name}:{stage.on.isoformat()}"
        due += timedelta(days=1)
    weekly: dict[int, str] = {}
    for back in range(1, 8):  # one old due date per residue; its anchor is the next day
        old = explicit_from - timedelta(days=back)
        stage = current_due_stage(old, None, now, tz)
        if stage is not None:
            weekly[day_number(old + timedelta(days=1)) % 7] = (
                f":{stage.name}:{stage.on.isoformat()}"
            )
    return DueWindow(
        latest_due=day + timedelta(days=REACH),
        explicit_from=explicit_from,
        explicit=explicit,
        weekly=weekly,
        snoozed_since=day - timedelta(days=RECENT_SNOOZE_DAYS),
        day=day,
    )


def digest_window(now: datetime, tz: str) -> DigestWindow | None:
    slots = frozenset(
        weekday * 24 + hour
        for weekday in range(7)
        for hour in range(24)
        if digest_week_due(now, weekday, hour, tz) is not None
    )
    return DigestWindow(slots, iso_week(today(now, tz))) if slots else None


def month_bounds(year: int, month: int, tz: str) -> tuple[datetime, datetime]:
    """Local midnight of the month's first day and of the next month's first day."""
    start = at_local(date(year, month, 1), 0, tz)
    end = at_local(date(year + month // 12, month % 12 + 1, 1), 0, tz)
    return start, end


def month_window(now: datetime, tz: str) -> MonthWindow | None:
    due = monthly_due(now, tz)
    if due is None:
        return None
    year, month = due
    start, end = month_bounds(year, month, tz)
    return MonthWindow(year, month, start, end, today(now, tz))


def tick_window(now: datetime, tz: str) -> TickWindow | None:
    """What a tick at `now` looks for; None in quiet hours, at weekends and on public holidays (nothing goes out)."""
    if not is_allowed(now, tz):
        return None
    return TickWindow(now, tz, due_window(now, tz), digest_window(now, tz), month_window(now, tz))
