"""Property-based: random events, hostile text and forged buttons never break the engine or its state.

Button presses are drawn from every family the engine routes (`engine.ROUTER.buttons`): well-formed
values (ids that may or may not exist: stale), and forged data (ids past 2³¹ and 2⁶³, digits Python
accepts but int() refuses, empty, missing and extra fields, unknown codes). Every event must get a
reply, never « something went wrong » nor a logged error, and the stored state must stay valid JSON.
Sequences run on the fake store (many examples) and on SQLite and PostgreSQL (fewer).
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dialogs.callbacks import CallbackData
from dialogs.context import EngineConfig
from dialogs.engine import ROUTER
from dialogs.events import Event, EventKind, Sender, event_from_text
from dialogs.ports import Database
from dialogs.state import is_valid_state
from ecoclic.service import ChatService
from referential.loader import default_referential
from referential.models import AnswerType
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory
from storage.models import Conversation
from tests.helpers.db import BACKENDS, drop_postgres_database, fresh_database
from tests.helpers.fake_store import FakeDatabase

REF = default_referential()
QIDS = [q.id for q in REF.level_questions(1)]
FAMILIES: list[type[CallbackData]] = sorted(
    {route.family for route in ROUTER.buttons.values()}, key=lambda f: f.__prefix__
)
SORRY = "Désolé, quelque chose s’est mal passé"
FORGED_FIELDS = [
    "2147483648",  # 2³¹: past a database integer
    "9223372036854775808",  # 2⁶³: past a 64-bit integer
    "99999999999999999999999",
    "-1",
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic digit: int() accepts it, ids must not
    "１",  # a full-width digit
    "",
    " 1",
    "1.5",
    "0x10",
    "zz",
    "x" * 30,
    "ZZZ-99",
]
WORDS = [*QIDS, *(t.id for t in REF.level_themes(1)), "oui", "non", "nsp", "fr", "en", "commune"]

hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Nd", "No"]), max_size=30),
    st.just(""),
    st.just("x" * 10_000),
    st.sampled_from(
        [
            "oui",
            "NON",
            "nsp",
            "?",
            "/start",
            "/score",
            "/plan",
            "/annuler",
            "/questionnaire",
            "/aide",
            "/langue",
            "/equipe",
            "/rappels",
            "/rattachement",
            "/collectivites",
            "/lien",
            "/admin",
            "21310555400017",
            "60",
            "1200",
            "2A",
            "/start inv_xyz",
            "1",
            "3",
            "²",
            "٣",
            "31/12/2027",
        ]
    ),
)


def _value(kind: type, optional: bool) -> st.SearchStrategy[Any]:
    """Well-formed values of a field: ids that may exist (or are stale), words the engine knows."""
    if kind is bool:
        values: st.SearchStrategy[Any] = st.booleans()
    elif kind is int:
        values = st.one_of(st.integers(0, 12), st.integers(0, 2**31 - 1))
    elif issubclass(kind, StrEnum):
        values = st.sampled_from(list(kind))
    else:
        values = st.one_of(
            st.sampled_from(WORDS), st.from_regex(r"[A-Za-z0-9_.-]{0,12}", fullmatch=True)
        )
    return st.one_of(st.none(), values) if optional else values


@st.composite
def well_formed(draw: st.DrawFn) -> str:
    family = draw(st.sampled_from(FAMILIES))
    values = {f.name: draw(_value(f.kind, f.optional)) for f in family.__fields__}
    return family(**values).pack()


@st.composite
def forged(draw: st.DrawFn) -> str:
    family = draw(st.sampled_from(FAMILIES))
    count = len(family.__fields__) + draw(st.integers(-1, 2))  # missing or extra fields
    fields = draw(
        st.lists(st.sampled_from(FORGED_FIELDS), min_size=max(count, 0), max_size=max(count, 0))
    )
    return ":".join([family.__prefix__, *fields])[:64]


unknown = st.one_of(
    st.sampled_from(["", ":", "zz", "zz:1", "r:plan", "q:xyz", "p", "p:", "a::", "ob:k:"]),
    st.text(max_size=20),
)

presses = st.one_of(well_formed(), forged(), unknown).map(Event.button)
events = st.one_of(
    hostile_text.map(event_from_text),
    presses,
    presses,  # twice as likely as text: buttons are where forged data gets in
    st.just(Event(EventKind.UNSUPPORTED)),
)

REGISTER = [
    Event.start(),
    Event.button("ob:go"),
    Event.typed("21310555400017"),
    Event.button("ob:k:commune"),
    Event.typed("Commune"),
    Event.typed("60"),
    Event.typed("100"),
    Event.button("ob:ok"),
    # A few « non »: the plan gets items 1, 2, 3 for random presses to find.
    *(
        Event.button(f"a:{q.id}:non")
        for q in REF.level_questions(1)[:4]
        if q.answer_type is AnswerType.YES_NO
    ),
]


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _logged_errors() -> Iterator[list[logging.LogRecord]]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


async def _play(db: Database, sequence: list[Event]) -> None:
    service = ChatService(db, REF, EngineConfig())
    sender = Sender("test", "p1", "p1", "Prop", "fr")
    with _logged_errors() as errors:
        for event in sequence:
            outcome = await service.handle(sender, event)
            assert outcome.replies or outcome.toast, event
            assert not any(SORRY in r.text for r in outcome.replies), event
            assert all(r.text.strip() for r in outcome.replies), event
            assert not errors, (event, errors[0].getMessage())


def _check_states(states: list[object]) -> None:
    assert states
    for state in states:
        assert is_valid_state(state), state
        assert json.loads(json.dumps(state)) == state


async def _run(backend: str, sequence: list[Event]) -> None:
    if backend == "fake":
        fake = FakeDatabase()
        await _play(fake, sequence)
        _check_states([row["state"] for row in fake.rows("conversations")])
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(backend, tmp)
        engine = create_engine(url)
        try:
            sessions = session_factory(engine)
            await _play(SqlDatabase(sessions), sequence)
            with sessions() as session:
                _check_states(list((session.scalars(select(Conversation.state))).all()))
        finally:
            engine.dispose()
            if backend == "postgresql":
                drop_postgres_database(url)


QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.booleans(), st.lists(events, min_size=1, max_size=25))
def test_random_events_never_break_the_engine(registered: bool, sequence: list[Event]) -> None:
    asyncio.run(_run("fake", (REGISTER if registered else []) + sequence))


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_events_never_break_the_engine_on_sql(backend: str) -> None:
    @SLOW
    @given(st.lists(events, min_size=1, max_size=15))
    def check(sequence: list[Event]) -> None:
        asyncio.run(_run(backend, REGISTER + sequence))

    check()


@QUICK
@given(st.sampled_from(FAMILIES), st.data())
def test_every_family_answers_well_formed_and_forged_data(
    family: type[CallbackData], data: st.DataObject
) -> None:
    values = {f.name: data.draw(_value(f.kind, f.optional)) for f in family.__fields__}
    fields = data.draw(st.lists(st.sampled_from(FORGED_FIELDS), min_size=1, max_size=4))
    presses = [family(**values).pack(), ":".join([family.__prefix__, *fields])[:64]]
    asyncio.run(_run("fake", REGISTER + [Event.button(p) for p in presses]))


@settings(max_examples=10, deadline=None)
@given(st.lists(hostile_text, min_size=1, max_size=10))
def test_registration_prefix_then_random_text(texts: list[str]) -> None:
    asyncio.run(_run("fake", REGISTER[:8] + [event_from_text(t) for t in texts]))


def test_every_family_is_drawn() -> None:
    """The families come from the engine itself: a new feature's buttons are pressed too."""
    prefixes = {f.__prefix__.split(":")[0] for f in FAMILIES}
    assert {"a", "ob", "q", "r", "t", "l", "p", "rm", "tm", "jr", "at", "pa"} <= prefixes
