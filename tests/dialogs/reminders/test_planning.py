"""Which reminders are due at an instant, decided over plain values (no database): the planning
functions only need something shaped like `ReminderRows`, here a few frozen values in memory."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from dialogs.records import ActionItemInfo, ItemStatus, TargetInfo
from dialogs.reminders.planning import Planned, due_at, month_bounds
from dialogs.reminders.window import DigestWindow, DueWindow, MonthWindow, tick_window
from referential.models import Referential
from tests.helpers.plan import paris

TZ = "Europe/Paris"
CREATED = paris(2026, 11, 2, 10)


@dataclass(frozen=True)
class Person:
    id: int
    channel: str = "test"
    chat_id: str = "c"
    display_name: str = "Alice"
    locale: str | None = None
    language_code: str | None = "fr"
    digest_weekday: int = 0
    digest_hour: int = 9
    resumed_at: datetime | None = None


@dataclass(frozen=True)
class Row:
    item: ActionItemInfo
    reminders_from: datetime | None
    recipient: Person
    collectivite_name: str = "Commune de Test"
    several: bool = False


@dataclass(frozen=True)
class Admin:
    collectivite_id: int
    collectivite_name: str
    recipient: Person


@dataclass(frozen=True)
class Facts:
    index_before: int | None
    index_after: int | None
    done: int
    open_due_dates: Sequence[date | None]


@dataclass(frozen=True)
class Counts:
    index_before: int | None
    index_after: int | None
    done: int
    open: int
    overdue: int


@dataclass(frozen=True)
class Goal:
    target: TargetInfo
    answers: dict[str, str]


@dataclass
class Rows:
    """Storage may hand over more candidates than are due (planning decides): this fake hands
    over every row of the question asked, in one batch."""

    rows: list[Row] = field(default_factory=list)
    admin_rows: list[Admin] = field(default_factory=list)
    facts: Facts = Facts(None, 12, 0, ())
    already: set[str] = field(default_factory=set)
    months_asked: list[tuple[int, datetime, datetime]] = field(default_factory=list)
    goals: dict[int, Goal] = field(default_factory=dict)
    targets_asked: list[list[int]] = field(default_factory=list)

    def _assigned(self, question_ids: Collection[str], after: int) -> list[Row]:
        return [
            r
            for r in self.rows
            if (r.item.question_id is None or r.item.question_id in question_ids) and after == 0
        ]

    def due_items(
        self, window: DueWindow, question_ids: Collection[str], after: int, limit: int
    ) -> list[Row]:
        return self._assigned(question_ids, after)

    def digest_items(
        self, window: DigestWindow, question_ids: Collection[str], after: int, limit: int
    ) -> list[Row]:
        return self._assigned(question_ids, after)

    def admins(self, window: MonthWindow, after: int, limit: int) -> list[Admin]:
        return self.admin_rows if after == 0 else []

    def month_facts(
        self, collectivite_ids: Collection[int], window: MonthWindow
    ) -> dict[int, Counts]:
        f = self.facts
        overdue = sum(1 for due in f.open_due_dates if due is not None and due < window.day)
        counts = Counts(f.index_before, f.index_after, f.done, len(f.open_due_dates), overdue)
        self.months_asked += [(cid, window.start, window.end) for cid in sorted(collectivite_ids)]
        return dict.fromkeys(collectivite_ids, counts)

    def targets(self, collectivite_ids: Collection[int]) -> dict[int, Goal]:
        self.targets_asked.append(sorted(collectivite_ids))
        return {cid: g for cid, g in self.goals.items() if cid in collectivite_ids}

    def queued(self, keys: Iterable[str]) -> set[str]:
        return self.already & set(keys)


def item(item_id: int, question_id: str, due: date | None) -> ActionItemInfo:
    return ActionItemInfo(
        id=item_id,
        collectivite_id=1,
        question_id=question_id,
        status=ItemStatus.A_FAIRE,
        reason="",
        assignee_id=7,
        assignee_name="Alice",
        due_date=due,
        snoozed_until=None,
        reminders_muted=False,
        created_at=CREATED,
        updated_at=CREATED,
    )


def keys(planned: list[Planned]) -> list[str]:
    return sorted(p.key for p in planned)


def test_digest_and_due_stage_on_monday_morning(referential: Referential) -> None:
    alice = Person(7)
    rows = Rows([Row(item(1, "GOV-01", date(2026, 12, 7)), CREATED, alice)])
    monday = paris(2026, 11, 30, 9)
    planned = due_at(rows, referential, monday, TZ)
    assert keys(planned) == ["digest:7:2026-W49", "due:1:2026-12-07:j7:2026-11-30"]
    due = next(p for p in planned if p.key.startswith("due:")).reply("fr")
    assert "arrive à échéance le lundi 7 décembre 2026 (dans 7 jours)" in due.text
    assert [b.data for row in due.buttons for b in row] == [
        "rm:done:1",
        "rm:wip:1",
        "rm:snz:1",
        "rm:mute:1",
    ]
    rows.already = {"digest:7:2026-W49"}  # queued by an earlier tick: not planned again
    assert keys(due_at(rows, referential, monday, TZ)) == ["due:1:2026-12-07:j7:2026-11-30"]


def test_quiet_hours_and_hidden_questions_plan_nothing(referential: Referential) -> None:
    rows = Rows([Row(item(1, "GOV-01", date(2026, 12, 7)), CREATED, Person(7))])
    assert due_at(rows, referential, paris(2026, 11, 30, 7, 59), TZ) == []
    assert due_at(rows, referential, paris(2026, 12, 5, 10), TZ) == []  # Saturday
    gone = Rows([Row(item(1, "NOT-A-QUESTION", date(2026, 12, 7)), CREATED, Person(7))])
    assert due_at(gone, referential, paris(2026, 11, 30, 9), TZ) == []


def test_the_recipient_language_and_the_default_one(referential: Referential) -> None:
    rows = Rows([Row(item(1, "GOV-01", None), CREATED, Person(7, language_code="en"))])
    (digest,) = due_at(rows, referential, paris(2026, 11, 30, 9), TZ)
    assert digest.reply("fr").text.startswith("Hello Alice!")
    unknown = Rows([Row(item(1, "GOV-01", None), CREATED, Person(7, language_code=None))])
    (digest,) = due_at(unknown, referential, paris(2026, 11, 30, 9), TZ)
    assert digest.reply("fr").text.startswith("Bonjour Alice !")


def test_monthly_summary_is_computed_once_per_collectivite(
    referential: Referential,
) -> None:
    admins = [Admin(1, "Commune de Test", Person(7)), Admin(1, "Commune de Test", Person(8))]
    facts = Facts(3, 7, 1, (date(2026, 12, 20), None, date(2027, 2, 1)))
    rows = Rows(admin_rows=admins, facts=facts)
    first = paris(2027, 1, 4, 9)  # Monday: the first working day (1 January is a holiday)
    planned = due_at(rows, referential, first, TZ)
    assert keys(planned) == ["monthly:7:1:2026-12", "monthly:8:1:2026-12"]
    assert rows.months_asked == [(1, *month_bounds(2026, 12, TZ))]
    text = planned[0].reply("fr").text
    assert "Indice de maturité : 3 → 7/100 (+4)" in text
    assert "Actions en retard : 1" in text and "Actions ouvertes : 3" in text
    assert "Cible" not in text  # no target: the summary is as before
    assert rows.targets_asked == [[1]]  # one read for the batch, not one per collectivité
    rows.already = {"monthly:7:1:2026-12", "monthly:8:1:2026-12"}
    rows.months_asked.clear()
    assert due_at(rows, referential, first, TZ) == []
    assert rows.months_asked == []  # nothing left to summarise: no summary computed


def test_nothing_goes_out_on_a_public_holiday(referential: Referential) -> None:
    """Issue 17: Christmas is as quiet as a Sunday (no tick window, nothing planned)."""
    rows = Rows([Row(item(1, "GOV-01", date(2026, 12, 26)), CREATED, Person(7))])
    assert tick_window(paris(2026, 12, 25, 10), TZ) is None
    assert due_at(rows, referential, paris(2026, 12, 25, 10), TZ) == []
    # « La veille » of Saturday 26 December is Thursday 24, before the holiday, not Monday 28.
    assert keys(due_at(rows, referential, paris(2026, 12, 24, 9), TZ)) == [
        "due:1:2026-12-26:j1:2026-12-24"
    ]


def test_monthly_summary_shows_progress_towards_the_target(referential: Referential) -> None:
    """Two collectivités, one with a target (read for both in one call), one without."""
    admins = [
        Admin(1, "Commune de Test", Person(7)),
        Admin(1, "Commune de Test", Person(9, language_code="en")),
        Admin(2, "Autre commune", Person(8)),
    ]
    target = TargetInfo(1, "B", None, date(2027, 6, 30), 7, CREATED)
    answers = {q.id: "non" for q in referential.level_questions(1)}
    rows = Rows(admin_rows=admins, facts=Facts(3, 7, 1, ()), goals={1: Goal(target, answers)})
    planned = {p.key: p for p in due_at(rows, referential, paris(2027, 1, 4, 9), TZ)}
    assert rows.targets_asked == [[1, 2]]
    with_target = planned["monthly:7:1:2026-12"].reply("fr").text.splitlines()[-1]
    assert with_target.startswith("Cible : lettre B d’ici le 30 juin 2027 · indice 0/100 · encore ")
    assert with_target.endswith(" actions · 5 mois restants")
    english = planned["monthly:9:1:2026-12"].reply("fr").text.splitlines()[-1]
    assert english.startswith("Target: letter B by June 30, 2027 · index 0/100 · ")
    assert english.endswith(" actions to go · 5 months left")
    assert "Cible" not in planned["monthly:8:2:2026-12"].reply("fr").text
