"""The transition table of flows, and the state helpers."""

from __future__ import annotations

import pytest

from dialogs.state import TRANSITIONS, Flow, flow_of, is_valid_state, set_flow


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (Flow.IDLE, Flow.ONBOARDING, True),
        (Flow.IDLE, Flow.QUESTIONNAIRE, True),
        (Flow.ONBOARDING, Flow.QUESTIONNAIRE, True),
        (Flow.ONBOARDING, Flow.IDLE, True),
        (Flow.QUESTIONNAIRE, Flow.IDLE, True),
        (Flow.QUESTIONNAIRE, Flow.QUESTIONNAIRE, True),
    ],
)
def test_transitions(source: Flow, target: Flow, allowed: bool) -> None:
    assert (target in TRANSITIONS[source]) is allowed


def test_every_flow_has_a_row() -> None:
    assert set(TRANSITIONS) == set(Flow)


def test_set_flow_keeps_current_question_only() -> None:
    state = {"flow": "onboarding", "step": "siret", "draft": {"siret": "1"}, "q": "GOV-02"}
    set_flow(state, Flow.QUESTIONNAIRE.value)
    assert state == {"flow": "questionnaire", "q": "GOV-02"}
    assert flow_of({}) == "idle"
    assert flow_of({"flow": 3}) == "idle"


def test_state_validity() -> None:
    assert is_valid_state({})
    assert is_valid_state({"flow": "idle", "q": "GOV-01"})
    assert not is_valid_state([])
    assert not is_valid_state({"flow": 1})
