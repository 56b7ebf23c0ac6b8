"""When reminders fall due: pure calendar arithmetic, no storage, no clock of its own.

Everything is recomputed from stored facts (due dates, snoozes, preferences) at the instant asked;
each reminder has a stable key, so the outbox's unique key makes any re-run or restart harmless.

Rules (local time of the configured zone, Europe/Paris by default):
- nothing is sent on weekends, French public holidays or between 20:00 and 08:00; a reminder due
  then moves to the next allowed slot (08:00 on the next working day);
- weekly digest: the person's chosen day and hour (Monday 09:00 by default), once per ISO week,
  on that day only (a digest is not worth sending days late; a short restart loses nothing);
- due-date reminders: J-7, J-1 (« la veille »: when that day is off, the working day before it, so
  it still comes before the due date), then the day after the due date and weekly while overdue, all at
  09:00; only the latest stage reached is sent (no burst of stale reminders after a downtime), and
  two stages landing on the same day collapse into the later one;
- "Reporter d'une semaine" (snooze until S): nothing before S; at S a reminder, and if S is past
  the due date the weekly overdue reminders restart from S;
- monthly summary for administrators: first working day of the month (that day only), about the
  month before;
- anything that fell due before `not_before` (the item's last change, the person's last resume)
  is dropped rather than delivered late.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialogs.parsing import day_off

DAY_START = time(8, 0)
DAY_END = time(20, 0)
REMINDER_HOUR = 9
DIGEST_HOURS = (9, 11, 14, 17)
WORKING_DAYS = 5  # Monday..Friday

# Later stages win ties on the same instant.
STAGE_ORDER = {"j7": 0, "snz": 1, "j1": 2, "od": 3}


@functools.cache
def zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(zone(tz))


def at_local(day: date, hour: int, tz: str, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone(tz))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a French public holiday."""
    return day_off(day) is None


def is_allowed(instant: datetime, tz: str) -> bool:
    moment = local(instant, tz)
    return DAY_START <= moment.time() < DAY_END and is_working_day(moment.date())


def next_allowed(instant: datetime, tz: str) -> datetime:
    """`instant` itself when a message may go out then, else 08:00 on the next working morning."""
    if is_allowed(instant, tz):
        return instant
    moment = local(instant, tz)
    day = moment.date()
    if not (moment.time() < DAY_START and is_working_day(day)):
        day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, DAY_START, tzinfo=zone(tz))


def today(instant: datetime, tz: str) -> date:
    return local(instant, tz).date()


@dataclass(frozen=True)
class DueStage:
    name: str  # "j7" | "j1" | "snz" | "od"
    on: date  # nominal day (the reminder goes at 09:00 that day, or the next allowed slot)
    at: datetime  # when it may actually go out

    def key(self, item_id: int, due: date) -> str:
        return f"due:{item_id}:{due.isoformat()}:{self.name}:{self.on.isoformat()}"


def _stage(name: str, on: date, tz: str) -> DueStage:
    return DueStage(name, on, next_allowed(at_local(on, REMINDER_HOUR, tz), tz))


def eve(due: date) -> date:
    """The day of « la veille »: the working day before the due date (a Friday for a Monday, the
    Friday before Easter for a Tuesday after it), so that it comes in time, never after."""
    day = due - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@functools.lru_cache(maxsize=4096)  # items share due dates: a tick over thousands stays cheap
def due_stages(due: date, snoozed_until: date | None, upto: date, tz: str) -> tuple[DueStage, ...]:
    """The due-date reminders of one item whose nominal day is on or before `upto`, in order,
    after collapsing stages that would go out the same day."""
    stages = [_stage("j7", due - timedelta(days=7), tz), _stage("j1", eve(due), tz)]
    anchor = due + timedelta(days=1)
    if snoozed_until is not None:
        stages = [s for s in stages if s.on >= snoozed_until]
        if snoozed_until > due:
            anchor = max(anchor, snoozed_until)
        else:
            stages.append(_stage("snz", snoozed_until, tz))
    if upto >= anchor:
        weeks = (upto - anchor).days // 7
        # The latest two weekly stages suffice: the older ones are superseded anyway.
        for k in range(max(0, weeks - 1), weeks + 1):
            stages.append(_stage("od", anchor + timedelta(days=7 * k), tz))
    stages = [s for s in stages if s.on <= upto]
    stages.sort(key=lambda s: (s.at, STAGE_ORDER[s.name]))
    collapsed: list[DueStage] = []
    for stage in stages:
        if collapsed and local(collapsed[-1].at, tz).date() == local(stage.at, tz).date():
            collapsed[-1] = stage
        else:
            collapsed.append(stage)
    return tuple(collapsed)


def current_due_stage(
    due: date,
    snoozed_until: date | None,
    now: datetime,
    tz: str,
    not_before: datetime | None = None,
) -> DueStage | None:
    """The due-date reminder to send at `now`, if any (its key tells whether it went already)."""
    if not is_allowed(now, tz):
        return None
    day = today(now, tz)
    if snoozed_until is not None and day < snoozed_until:
        return None
    reached = [s for s in due_stages(due, snoozed_until, day, tz) if s.at <= now]
    if not reached:
        return None
    latest = reached[-1]
    if not_before is not None and latest.at < not_before:
        return None
    return latest


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@functools.lru_cache(maxsize=256)
def digest_instant(day: date, weekday: int, hour: int, tz: str) -> datetime:
    """When the weekly digest of the ISO week containing `day` may go out."""
    monday = day - timedelta(days=day.weekday())
    return next_allowed(at_local(monday + timedelta(days=weekday), hour, tz), tz)


def digest_week_due(
    now: datetime, weekday: int, hour: int, tz: str, not_before: datetime | None = None
) -> str | None:
    """The ISO week ("2026-W50") whose digest is due at `now`, or None."""
    if not is_allowed(now, tz):
        return None
    day = today(now, tz)
    instant = digest_instant(day, weekday, hour, tz)
    if instant > now or today(instant, tz) != day:
        return None
    if not_before is not None and instant < not_before:
        return None
    return iso_week(day)


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def monthly_due(
    now: datetime, tz: str, not_before: datetime | None = None
) -> tuple[int, int] | None:
    """(year, month) of the month to summarise at `now`: the previous one, on the first working
    day of the current month."""
    if not is_allowed(now, tz):
        return None
    day = today(now, tz)
    instant = next_allowed(at_local(month_start(day.year, day.month), REMINDER_HOUR, tz), tz)
    if instant > now or today(instant, tz) != day:
        return None
    if not_before is not None and instant < not_before:
        return None
    return previous_month(day.year, day.month)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the end of a shorter month (31/08 + 6 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    first_next = add_months(day.replace(day=1), 1)
    return first_next - timedelta(days=1)
