"""Property-based: random events and hostile text never break the engine or its stored state."""

from __future__ import annotations

import asyncio
import json
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dialogs.context import EngineConfig
from dialogs.events import Event, EventKind, Sender, event_from_text
from dialogs.state import is_valid_state
from ecoclic.service import ChatService
from referential.loader import default_referential
from storage.db import create_engine, session_factory
from storage.models import Conversation
from tests.helpers.db import fresh_database

REF = default_referential()
QIDS = [q.id for q in REF.level_questions(1)]
PREFIXES = ["a", "w", "d", "s", "b", "t", "q", "r", "ob", "l", "zz", "jr", ""]

hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So"]), max_size=30),
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
            "21310555400017",
            "60",
            "1200",
            "2A",
            "/start inv_xyz",
            "1",
            "3",
        ]
    ),
)

button_data = st.builds(
    lambda prefix, qid, value: f"{prefix}:{qid}:{value}"[:64],
    st.sampled_from(PREFIXES),
    st.one_of(st.sampled_from(QIDS), st.text(max_size=10)),
    st.one_of(
        st.sampled_from(["oui", "non", "nsp", "go", "menu", "k", "ok", "fr", "en"]),
        st.text(max_size=5),
    ),
)

events = st.one_of(
    hostile_text.map(lambda t: event_from_text(t)),
    button_data.map(lambda d: Event.button(d)),
    st.just(Event(EventKind.UNSUPPORTED)),
    st.sampled_from(
        ["ob:go", "ob:k:commune", "ob:ok", "q:go", "q:menu", "r:score", "l:en", "l:fr"]
    ).map(Event.button),
)


async def _run(sequence: list[Event]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = await fresh_database("sqlite", tmp)
        engine = create_engine(url)
        try:
            service = ChatService(session_factory(engine), REF, EngineConfig())
            sender = Sender("test", "p1", "p1", "Prop", "fr")
            for event in sequence:
                outcome = await service.handle(sender, event)
                assert outcome.replies or outcome.toast, event
                assert not any(
                    "Désolé, quelque chose s’est mal passé" in r.text for r in outcome.replies
                ), event
                for reply in outcome.replies:
                    assert reply.text.strip()
            async with session_factory(engine)() as session:
                for conversation in (await session.scalars(select(Conversation))).all():
                    assert is_valid_state(conversation.state)
                    json.dumps(conversation.state)
        finally:
            await engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, min_size=1, max_size=25))
def test_random_events_never_break_the_engine(sequence: list[Event]) -> None:
    asyncio.run(_run(sequence))


@settings(max_examples=10, deadline=None)
@given(st.lists(hostile_text, min_size=1, max_size=10))
def test_registration_prefix_then_random_text(texts: list[str]) -> None:
    start = [
        Event.start(),
        Event.button("ob:go"),
        Event.typed("21310555400017"),
        Event.button("ob:k:commune"),
        Event.typed("Commune"),
        Event.typed("60"),
        Event.typed("100"),
        Event.button("ob:ok"),
    ]
    asyncio.run(_run(start + [event_from_text(t) for t in texts]))
