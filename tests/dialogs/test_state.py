"""Conversation states: entering a flow, reading it back, validity, and `Flow` covering every flow."""

from __future__ import annotations

import json

import pytest

from dialogs.engine import ROUTER
from dialogs.state import Flow, OnboardingStep, flow_of, is_valid_state, set_flow


def test_set_flow_keeps_current_question_only() -> None:
    state = {"flow": "onboarding", "step": "siret", "draft": {"siret": "1"}, "q": "GOV-02"}
    set_flow(state, Flow.QUESTIONNAIRE.value)
    assert state == {"flow": "questionnaire", "q": "GOV-02"}


def test_set_flow_sets_the_new_flows_values() -> None:
    state: dict[str, object] = {"flow": "idle"}
    set_flow(state, Flow.ONBOARDING.value, draft={}, step=OnboardingStep.SIRET.value)
    assert state == {"flow": "onboarding", "draft": {}, "step": "siret"}
    assert json.loads(json.dumps(state)) == state  # stored as JSON
    set_flow(state, Flow.IDLE.value)
    assert state == {"flow": "idle"}


@pytest.mark.parametrize(
    ("state", "flow"),
    [
        ({}, "idle"),
        ({"flow": 3}, "idle"),
        ({"flow": ""}, "idle"),
        ({"flow": None}, "idle"),
        ({"flow": "plan_due"}, "plan_due"),
        ({"flow": "removed_feature"}, "removed_feature"),  # the engine falls back to idle
    ],
)
def test_flow_of(state: dict[str, object], flow: str) -> None:
    assert flow_of(state) == flow


@pytest.mark.parametrize(
    ("state", "valid"),
    [
        ({}, True),
        ({"flow": "idle", "q": "GOV-01"}, True),
        ({"flow": "onboarding", "draft": {"siret": "1"}}, True),
        ([], False),
        ("idle", False),
        (None, False),
        ({"flow": 1}, False),
        ({1: "x"}, False),
    ],
)
def test_state_validity(state: object, valid: bool) -> None:
    assert is_valid_state(state) is valid


def test_every_flow_a_feature_handles_is_a_flow_member() -> None:
    assert ROUTER.flows
    for name in ROUTER.flows:
        assert Flow(name).value == name  # ValueError for a flow outside `Flow`


def test_every_flow_but_idle_has_a_handler() -> None:
    """A member of `Flow` nobody handles would be a dead state (typed text would drop to idle)."""
    assert {f.value for f in Flow} - set(ROUTER.flows) == {Flow.IDLE.value}
