"""Which reminders are due at an instant: due-date reminders (J-7, J-1, overdue, after a snooze),
weekly digests and the administrators' monthly summary.

Decided from stored facts only (no timer of its own). What to look for is worked out first, before
any query (dialogs.reminders.window); storage then hands over the candidate rows through
`ReminderRows`, batch by batch (a superset: storage may over-select, never under-select), and these
functions decide exactly what is due and give each message a stable key. A message whose key is
already in the outbox is not planned again, so a tick may run twice, on two processes or after a
restart without queuing anything twice. The calendar rules are in dialogs.plan.schedule.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Protocol

from dialogs.i18n import Translator, locale_of, translator
from dialogs.plan.schedule import current_due_stage, digest_week_due, monthly_due
from dialogs.records import ActionItemInfo, TargetInfo
from dialogs.reminders.texts import MonthlySummary, digest_reply, due_reply, monthly_reply
from dialogs.reminders.window import (
    DigestWindow,
    DueWindow,
    MonthWindow,
    TickWindow,
    month_bounds,
    tick_window,
)
from dialogs.replies import Reply
from dialogs.target.progress import progress_of
from referential.models import Referential

__all__ = [
    "BATCH",
    "STEPS",
    "Batch",
    "Planned",
    "ReminderRows",
    "digest_batch",
    "due_at",
    "due_batch",
    "month_bounds",
    "monthly_batch",
    "tick_window",
]

BATCH = 500  # rows read, planned and inserted at a time: bounds the tick's memory and lock time


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
    @property
    def collectivite_name(self) -> str: ...
    @property
    def several(self) -> bool:
        """Whether the assignee belongs to several collectivités (the text then names this one)."""
        ...


class AdminOf(Protocol):
    """An administrator of a collectivité that has a plan."""

    @property
    def collectivite_id(self) -> int: ...
    @property
    def collectivite_name(self) -> str: ...
    @property
    def recipient(self) -> Recipient: ...


class MonthFacts(Protocol):
    """A collectivité's month: its index at both ends, items done in it, its open items today."""

    @property
    def index_before(self) -> int | None: ...
    @property
    def index_after(self) -> int | None: ...
    @property
    def done(self) -> int: ...
    @property
    def open(self) -> int: ...
    @property
    def overdue(self) -> int:
        """Open items whose due date is before the window's day."""
        ...


class TargetFacts(Protocol):
    """A collectivité's target and its current answers (what progress is measured on)."""

    @property
    def target(self) -> TargetInfo: ...
    @property
    def answers(self) -> Mapping[str, str]: ...


class ReminderRows(Protocol):
    """What planning reads from storage. Each method returns one batch of at most `limit`
    candidates after the cursor `after`; a short batch is the last one."""

    def due_items(
        self, window: DueWindow, question_ids: Collection[str], after: int, limit: int
    ) -> Sequence[Assigned]:
        """Items (id > after, by id) of these questions, or without a question (own actions),
        whose current due-date reminder may not be queued yet."""
        ...

    def digest_items(
        self, window: DigestWindow, question_ids: Collection[str], after: int, limit: int
    ) -> Sequence[Assigned]:
        """Every item of these questions, or without a question, of up to `limit` people
        (id > after, by person then item) whose digest slot is due and whose digest of the week
        is not queued."""
        ...

    def admins(self, window: MonthWindow, after: int, limit: int) -> Sequence[AdminOf]:
        """Administrators (person id > after, by id) of collectivités with a plan whose summary
        of the month is not queued."""
        ...

    def month_facts(
        self, collectivite_ids: Collection[int], window: MonthWindow
    ) -> Mapping[int, MonthFacts]:
        """Facts of the month [window.start, window.end) of each collectivité, in one go."""
        ...

    def targets(self, collectivite_ids: Collection[int]) -> Mapping[int, TargetFacts]:
        """The targets of those of these collectivités that have one, with their answers, in
        one statement (no query per collectivité)."""
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
class Batch:
    """Messages planned from one batch of rows, and the cursor of the next batch (None: done)."""

    planned: list[Planned]
    after: int | None


Step = Callable[[ReminderRows, Referential, TickWindow, int, int], Batch]


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


def _shown(ref: Referential) -> set[str]:
    """Questions whose items are reminded of: level 1, and level 2 (whose answers exist only once
    an OPSN accompanies the collectivité)."""
    return {q.id for level in (1, 2) for q in ref.level_questions(level, include_locked=True)}


def _not_queued(rows: ReminderRows, planned: list[Planned]) -> list[Planned]:
    if not planned:
        return planned
    queued = rows.queued(p.key for p in planned)
    return [p for p in planned if p.key not in queued]


def due_batch(
    rows: ReminderRows, ref: Referential, window: TickWindow, after: int, limit: int
) -> Batch:
    """Due-date reminders (J-7, J-1, overdue, after a snooze) of one batch of items."""
    found = rows.due_items(window.due, _shown(ref), after, limit)
    planned = []
    for row in found:
        info, user = row.item, row.recipient
        if info.due_date is None:
            continue
        not_before = _later(row.reminders_from, user.resumed_at)
        stage = current_due_stage(
            info.due_date, info.snoozed_until, window.now, window.tz, not_before
        )
        if stage is not None:
            render = partial(
                due_reply,
                ref=ref,
                item=info,
                day=window.due.day,
                collectivite=row.collectivite_name if row.several else "",
            )
            planned.append(Planned(stage.key(info.id, info.due_date), user, render))
    cursor = found[-1].item.id if len(found) >= limit else None
    return Batch(_not_queued(rows, planned), cursor)


def digest_batch(
    rows: ReminderRows, ref: Referential, window: TickWindow, after: int, limit: int
) -> Batch:
    """Weekly digests of one batch of people."""
    if window.digest is None:
        return Batch([], None)
    per_user: dict[int, tuple[Recipient, list[ActionItemInfo]]] = {}
    places: dict[int, str] = {}
    for row in rows.digest_items(window.digest, _shown(ref), after, limit):
        per_user.setdefault(row.recipient.id, (row.recipient, []))[1].append(row.item)
        places[row.item.collectivite_id] = row.collectivite_name
    planned = []
    for user, items in per_user.values():
        week = digest_week_due(
            window.now, user.digest_weekday, user.digest_hour, window.tz, user.resumed_at
        )
        if week is not None:
            render = partial(
                digest_reply,
                ref=ref,
                name=user.display_name,
                items=items,
                day=window.due.day,
                places=places,
            )
            planned.append(Planned(f"digest:{user.id}:{week}", user, render))
    cursor = max(per_user) if len(per_user) >= limit else None
    return Batch(_not_queued(rows, planned), cursor)


def monthly_batch(
    rows: ReminderRows, ref: Referential, window: TickWindow, after: int, limit: int
) -> Batch:
    """Monthly summaries of one batch of administrators; the facts of their collectivités are
    read in one go, and only for summaries not queued yet."""
    month = window.month
    if month is None:
        return Batch([], None)
    admins = rows.admins(month, after, limit)
    wanted = [
        a for a in admins if monthly_due(window.now, window.tz, a.recipient.resumed_at) is not None
    ]
    keys = {id(a): f"monthly:{a.recipient.id}:{a.collectivite_id}{month.suffix}" for a in wanted}
    queued = rows.queued(keys.values()) if wanted else set()
    wanted = [a for a in wanted if keys[id(a)] not in queued]
    cids = {a.collectivite_id for a in wanted}
    facts = rows.month_facts(cids, month) if wanted else {}
    goals = rows.targets(cids) if wanted else {}
    progress = {cid: progress_of(ref, g.target, g.answers, month.day) for cid, g in goals.items()}
    planned = []
    for admin in wanted:
        summary = monthly_summary(admin, facts[admin.collectivite_id], month)
        summary = replace(summary, target=progress.get(admin.collectivite_id))
        render = partial(monthly_reply, summary=summary)
        planned.append(Planned(keys[id(admin)], admin.recipient, render))
    cursor = max(a.recipient.id for a in admins) if len(admins) >= limit else None
    return Batch(planned, cursor)


STEPS: tuple[Step, ...] = (due_batch, digest_batch, monthly_batch)


def monthly_summary(admin: AdminOf, facts: MonthFacts, month: MonthWindow) -> MonthlySummary:
    """Index change over the month, items set to réalisé in it, overdue and open items today."""
    return MonthlySummary(
        collectivite=admin.collectivite_name,
        year=month.year,
        month=month.month,
        index_before=facts.index_before,
        index_after=facts.index_after or 0,
        done=facts.done,
        overdue=facts.overdue,
        open=facts.open,
    )


def batches(
    rows: ReminderRows, ref: Referential, window: TickWindow, limit: int = BATCH
) -> Iterable[Batch]:
    """Every batch of the tick, in order, over one `rows` (callers that commit between batches
    call the steps themselves)."""
    for step in STEPS:
        after: int | None = 0
        while after is not None:
            batch = step(rows, ref, window, after, limit)
            yield batch
            after = batch.after


def due_at(rows: ReminderRows, ref: Referential, now: datetime, tz: str) -> list[Planned]:
    """Every reminder due at `now` whose key is not queued yet."""
    window = tick_window(now, tz)
    if window is None:
        return []
    return [p for batch in batches(rows, ref, window) for p in batch.planned]
