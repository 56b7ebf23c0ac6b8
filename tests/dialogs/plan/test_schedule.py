"""Reminder calendar arithmetic: quiet hours, weekends, stages, snoozes, digests, months."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dialogs.plan.schedule import (
    DueStage,
    add_months,
    current_due_stage,
    digest_week_due,
    due_stages,
    end_of_month,
    eve,
    is_allowed,
    local,
    monthly_due,
    next_allowed,
)
from tests.helpers.plan import paris

TZ = "Europe/Paris"


def test_quiet_hours_and_weekends_move_to_the_next_working_morning() -> None:
    assert next_allowed(paris(2026, 12, 4, 19, 59), TZ) == paris(2026, 12, 4, 19, 59)  # Friday
    assert next_allowed(paris(2026, 12, 4, 20, 0), TZ) == paris(2026, 12, 7, 8)  # → Monday
    assert next_allowed(paris(2026, 12, 5, 10), TZ) == paris(2026, 12, 7, 8)  # Saturday
    assert next_allowed(paris(2026, 12, 6, 23, 30), TZ) == paris(2026, 12, 7, 8)  # Sunday night
    assert next_allowed(paris(2026, 12, 8, 7, 30), TZ) == paris(2026, 12, 8, 8)  # Tuesday early
    assert next_allowed(paris(2026, 12, 8, 22), TZ) == paris(2026, 12, 9, 8)
    # Across the spring clock change (Sunday 29 March 2026): still 08:00 local on Monday.
    moved = next_allowed(datetime(2026, 3, 28, 12, tzinfo=UTC), TZ)
    assert (local(moved, TZ).hour, moved.utcoffset()) == (8, timedelta(hours=2))


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31)))
def test_next_allowed_is_allowed_and_never_early(naive: datetime) -> None:
    instant = naive.replace(tzinfo=UTC)
    slot = next_allowed(instant, TZ)
    assert slot >= instant and is_allowed(slot, TZ)
    if slot != instant:  # moved: to the start of a working day, less than four days later
        assert local(slot, TZ).time().isoformat() == "08:00:00"
        assert slot - instant < timedelta(days=4)


def names(stages: Sequence[DueStage]) -> list[tuple[str, str, str]]:
    return [(s.name, s.on.isoformat(), local(s.at, TZ).strftime("%a %d %H:%M")) for s in stages]


def test_due_stages_j7_j1_then_weekly_overdue() -> None:
    stages = due_stages(date(2026, 12, 16), None, date(2026, 12, 20), TZ)
    assert names(stages) == [
        ("j7", "2026-12-09", "Wed 09 09:00"),
        ("j1", "2026-12-15", "Tue 15 09:00"),
        ("od", "2026-12-17", "Thu 17 09:00"),
    ]
    # Later on, only the two most recent weekly stages are listed (older ones are superseded).
    later = due_stages(date(2026, 12, 16), None, date(2027, 1, 10), TZ)
    assert [s.on.isoformat() for s in later if s.name == "od"] == ["2026-12-31", "2027-01-07"]


def test_stages_on_the_same_day_collapse_into_the_later_one() -> None:
    # Snoozed until the eve of the due date: the snooze and « la veille » are one reminder.
    stages = due_stages(date(2026, 12, 16), date(2026, 12, 15), date(2026, 12, 16), TZ)
    assert names(stages) == [("j1", "2026-12-15", "Tue 15 09:00")]


def test_the_eve_of_a_day_off_is_the_working_day_before() -> None:
    """Issue 17: « la veille » never comes after the due date's weekend or holiday, but before it."""
    # Due Sunday 20 December: J-1 is Friday 18, not Monday 21 (the day of the first overdue).
    stages = due_stages(date(2026, 12, 20), None, date(2026, 12, 21), TZ)
    assert names(stages) == [
        ("j7", "2026-12-13", "Mon 14 08:00"),
        ("j1", "2026-12-18", "Fri 18 09:00"),
        ("od", "2026-12-21", "Mon 21 09:00"),
    ]
    # Due Tuesday 30 March 2027, after Easter Monday (29th): J-1 is Friday 26 March.
    assert eve(date(2027, 3, 30)) == date(2027, 3, 26)
    assert eve(date(2026, 12, 16)) == date(2026, 12, 15)  # an ordinary Wednesday


def test_public_holidays_are_quiet_like_weekends() -> None:
    """Nothing goes out on 25 December or 1 May: the next working morning instead."""
    assert not is_allowed(paris(2026, 12, 25, 10), TZ)  # Christmas, a Friday
    assert next_allowed(paris(2026, 12, 24, 21), TZ) == paris(2026, 12, 28, 8)  # → Monday
    assert next_allowed(paris(2027, 5, 1, 9), TZ) == paris(2027, 5, 3, 8)  # Saturday 1 May
    assert next_allowed(paris(2026, 5, 14, 9), TZ) == paris(2026, 5, 15, 8)  # Ascension Thursday
    # An overdue reminder that lands on a holiday moves to the next working day.
    stages = due_stages(date(2026, 12, 17), None, date(2026, 12, 26), TZ)
    assert ("od", "2026-12-25", "Mon 28 08:00") in names(stages)
    # The monthly summary of January goes on the first working day: Monday 4 January 2027.
    assert monthly_due(paris(2027, 1, 1, 10), TZ) is None
    assert monthly_due(paris(2027, 1, 4, 9), TZ) == (2026, 12)


def test_only_the_latest_stage_reached_is_sent_and_never_in_quiet_hours() -> None:
    due = date(2026, 12, 16)
    assert current_due_stage(due, None, paris(2026, 12, 9, 8, 59), TZ) is None
    assert current_due_stage(due, None, paris(2026, 12, 9, 9), TZ).name == "j7"  # type: ignore[union-attr]
    # Down for a week: at restart only the latest stage, not a burst of stale ones.
    assert current_due_stage(due, None, paris(2026, 12, 17, 10), TZ).name == "od"  # type: ignore[union-attr]
    assert current_due_stage(due, None, paris(2026, 12, 17, 21), TZ) is None
    # A stage that fell due before the item's last change is dropped.
    assert (
        current_due_stage(due, None, paris(2026, 12, 9, 10), TZ, paris(2026, 12, 9, 9, 30)) is None
    )


def test_snooze_silences_then_reminds_and_restarts_the_weekly_overdue() -> None:
    due = date(2026, 12, 7)
    until = date(2026, 12, 15)  # snoozed on Tuesday 8 December
    assert current_due_stage(due, until, paris(2026, 12, 14, 12), TZ) is None
    stage = current_due_stage(due, until, paris(2026, 12, 15, 9), TZ)
    assert stage is not None and (stage.name, stage.on) == ("od", until)
    assert stage.key(5, due) == "due:5:2026-12-07:od:2026-12-15"
    later = current_due_stage(due, until, paris(2026, 12, 22, 9), TZ)
    assert later is not None and later.on == date(2026, 12, 22)
    # Snoozed at J-7: nothing at J-1 (inside the snooze), a reminder on the day the snooze ends.
    early = due_stages(date(2026, 12, 18), date(2026, 12, 18), date(2026, 12, 31), TZ)
    assert [s.name for s in early][:2] == ["snz", "od"]


def test_digest_on_its_day_only_and_monthly_on_the_first_working_day() -> None:
    assert digest_week_due(paris(2026, 12, 7, 8, 59), 0, 9, TZ) is None
    assert digest_week_due(paris(2026, 12, 7, 9), 0, 9, TZ) == "2026-W50"
    assert digest_week_due(paris(2026, 12, 7, 19, 30), 0, 9, TZ) == "2026-W50"
    assert digest_week_due(paris(2026, 12, 8, 9), 0, 9, TZ) is None
    assert digest_week_due(paris(2026, 12, 9, 14), 2, 14, TZ) == "2026-W50"
    assert digest_week_due(paris(2026, 12, 7, 10), 0, 9, TZ, paris(2026, 12, 7, 9, 30)) is None
    assert monthly_due(paris(2026, 12, 1, 9), TZ) == (2026, 11)
    assert monthly_due(paris(2026, 12, 2, 9), TZ) is None
    assert monthly_due(paris(2026, 8, 3, 8), TZ) == (2026, 7)  # 1 August 2026 is a Saturday
    assert monthly_due(paris(2027, 1, 4, 10), TZ) == (2026, 12)  # 1 January is a holiday


def test_month_arithmetic_for_quick_picks() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 23), 12) == date(2027, 11, 23)
    assert end_of_month(date(2026, 12, 7)) == date(2026, 12, 31)
    assert end_of_month(date(2028, 2, 1)) == date(2028, 2, 29)
