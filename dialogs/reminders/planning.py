"""Which reminders are due at an instant: due-date reminders (J-7, J-1, overdue, after a snooze),
weekly digests and the administrators' monthly summary.

Decided from stored facts only (no timer of its own): storage hands over the candidate rows through
`ReminderRows`, these functions pick what is due and give each message a stable key. A message whose
key is already in the outbox is not planned again, so a tick may run twice, on two processes or
after a restart without queuing anything twice. The calendar rules are in dialogs.plan.schedule.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Protocol

from dialogs.i18n import Translator, locale_of, translator
from dialogs.plan.schedule import (
    at_local,
    current_due_stage,
    digest_week_due,
    is_allowed,
    monthly_due,
    today,
)
from dialogs.records import ActionItemInfo
from dialogs.reminders.texts import MonthlySummary, digest_reply, due_reply, monthly_reply
from dialogs.replies import Reply
from referential.models import Referential


class Recipient(Protocol):
    """Who receives a reminder, with their reminder settings (paused people are never candidates)."""

    @property
    def id(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def chat_id(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def locale(self) -> str | None: ...
    @property
    def language_code(self) -> str | None: ...
    @property
    def digest_weekday(self) -> int: ...
    @property
    def digest_hour(self) -> int: ...
    @property
    def resumed_at(self) -> datetime | None:
        """When reminders were last resumed: nothing that fell due before is sent late."""
        ...


class Assigned(Protocol):
    """An open, unmuted item whose assignee belongs to its collectivité and accepts reminders."""

    @property
    def item(self) -> ActionItemInfo: ...
    @property
    def reminders_from(self) -> datetime | None:
        """The item's last change that restarts its reminders."""
        ...

    @property
    def recipient(self) -> Recipient: ...


class AdminOf(Protocol):
    """An administrator of a collectivité that has a plan."""

    @property
    def collectivite_id(self) -> int: ...
    @property
    def collectivite_name(self) -> str: ...
    @property
    def recipient(self) -> Recipient: ...


class MonthFacts(Protocol):
    """A collectivité's month: its index at both ends, items done in it, its open items."""

    @property
    def index_before(self) -> int | None: ...
    @property
    def index_after(self) -> int | None: ...
    @property
    def done(self) -> int: ...
    @property
    def open_due_dates(self) -> Sequence[date | None]: ...


class ReminderRows(Protocol):
    """What planning reads from storage, inside the tick's transaction."""

    def assigned(self, question_ids: Collection[str]) -> Sequence[Assigned]:
        """Candidates for due-date reminders and digests, items of these questions only."""
        ...

    def admins_with_plan(self) -> Sequence[AdminOf]: ...

    def month_facts(self, collectivite_id: int, start: datetime, end: datetime) -> MonthFacts:
        """Facts of the month [start, end)."""
        ...

    def queued(self, keys: Iterable[str]) -> set[str]:
        """The keys among `keys` already in the outbox."""
        ...


@dataclass(frozen=True)
class Planned:
    """One message to queue: its idempotent key, its recipient, how to render it."""

    key: str
    recipient: Recipient
    render: Callable[[Translator], Reply]

    def reply(self, default_locale: str) -> Reply:
        """Rendered in the recipient's language."""
        who = self.recipient
        return self.render(translator(locale_of(who, default_locale)))


@dataclass(frozen=True)
class MonthlyWanted:
    key: str
    collectivite_id: int
    collectivite_name: str
    recipient: Recipient
    year: int
    month: int


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


def personal(
    assigned: Iterable[Assigned], ref: Referential, now: datetime, tz: str
) -> list[Planned]:
    """Due-date reminders and weekly digests."""
    day = today(now, tz)
    planned: list[Planned] = []
    per_user: dict[int, tuple[Recipient, list[ActionItemInfo]]] = {}
    for row in assigned:
        info, user = row.item, row.recipient
        per_user.setdefault(user.id, (user, []))[1].append(info)
        if info.due_date is None:
            continue
        not_before = _later(row.reminders_from, user.resumed_at)
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


def monthly_wanted(admins: Iterable[AdminOf], now: datetime, tz: str) -> list[MonthlyWanted]:
    """The monthly summaries due at `now`, one per administrator and collectivité."""
    wanted = []
    for admin in admins:
        due = monthly_due(now, tz, admin.recipient.resumed_at)
        if due is not None:
            year, month = due
            key = f"monthly:{admin.recipient.id}:{admin.collectivite_id}:{year:04d}-{month:02d}"
            wanted.append(
                MonthlyWanted(
                    key,
                    admin.collectivite_id,
                    admin.collectivite_name,
                    admin.recipient,
                    year,
                    month,
                )
            )
    return wanted


def month_bounds(year: int, month: int, tz: str) -> tuple[datetime, datetime]:
    """Local midnight of the month's first day and of the next month's first day."""
    start = at_local(date(year, month, 1), 0, tz)
    end = at_local(date(year + month // 12, month % 12 + 1, 1), 0, tz)
    return start, end


def monthly_summary(wanted: MonthlyWanted, facts: MonthFacts, day: date) -> MonthlySummary:
    """Index change over the month, items set to réalisé in it, overdue and open items `day`."""
    return MonthlySummary(
        collectivite=wanted.collectivite_name,
        year=wanted.year,
        month=wanted.month,
        index_before=facts.index_before,
        index_after=facts.index_after or 0,
        done=facts.done,
        overdue=sum(1 for due in facts.open_due_dates if due is not None and due < day),
        open=len(facts.open_due_dates),
    )


def due_at(rows: ReminderRows, ref: Referential, now: datetime, tz: str) -> list[Planned]:
    """Every reminder due at `now` whose key is not queued yet."""
    if not is_allowed(now, tz):
        return []
    shown = {q.id for q in ref.level_questions(1)}
    planned = personal(rows.assigned(shown), ref, now, tz)
    if monthly_due(now, tz) is not None:
        planned += _monthly(rows, now, tz)
    queued = rows.queued(p.key for p in planned)
    return [p for p in planned if p.key not in queued]


def _monthly(rows: ReminderRows, now: datetime, tz: str) -> list[Planned]:
    """Summaries are computed only for keys not queued yet (the day's later ticks cost one query)."""
    wanted = monthly_wanted(rows.admins_with_plan(), now, tz)
    queued = rows.queued(w.key for w in wanted)
    day = today(now, tz)
    facts: dict[int, MonthFacts] = {}
    planned = []
    for w in wanted:
        if w.key in queued:
            continue
        if w.collectivite_id not in facts:
            start, end = month_bounds(w.year, w.month, tz)
            facts[w.collectivite_id] = rows.month_facts(w.collectivite_id, start, end)
        summary = monthly_summary(w, facts[w.collectivite_id], day)
        planned.append(Planned(w.key, w.recipient, partial(monthly_reply, summary=summary)))
    return planned
