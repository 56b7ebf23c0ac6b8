"""Conversation states: which flow a user is in, and the transitions the engine allows.

```mermaid
stateDiagram-v2
    [*] --> idle
    idle --> onboarding: /start (not registered)
    onboarding --> onboarding: siret → kind → name → departement → population → confirm
    onboarding --> questionnaire: confirmed
    onboarding --> idle: /annuler, SIRET already registered (join request sent)
    idle --> questionnaire: /questionnaire, Reprendre
    questionnaire --> questionnaire: answer, skip, back, theme
    questionnaire --> idle: /annuler, last question answered
```
Feature modules add flows of their own (e.g. typing a due date); every flow returns to idle on /annuler.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Flow(StrEnum):
    IDLE = "idle"
    ONBOARDING = "onboarding"
    QUESTIONNAIRE = "questionnaire"


class OnboardingStep(StrEnum):
    SIRET = "siret"
    KIND = "kind"
    NAME = "name"
    DEPARTEMENT = "departement"
    POPULATION = "population"
    CONFIRM = "confirm"


ONBOARDING_ORDER = tuple(OnboardingStep)

# Allowed flow changes; anything else is a bug caught by tests/dialogs/test_state.py.
TRANSITIONS: dict[Flow, frozenset[Flow]] = {
    Flow.IDLE: frozenset({Flow.IDLE, Flow.ONBOARDING, Flow.QUESTIONNAIRE}),
    Flow.ONBOARDING: frozenset({Flow.ONBOARDING, Flow.QUESTIONNAIRE, Flow.IDLE}),
    Flow.QUESTIONNAIRE: frozenset({Flow.QUESTIONNAIRE, Flow.IDLE, Flow.ONBOARDING}),
}

STATE_KEYS = frozenset({"flow", "step", "draft", "q", "extra"})


def flow_of(state: dict[str, Any]) -> str:
    value = state.get("flow")
    return value if isinstance(value, str) and value else Flow.IDLE.value


def set_flow(state: dict[str, Any], flow: str, **values: Any) -> None:
    """Enter a flow, dropping the previous flow's scratch values (`q`, the current question, stays)."""
    keep_q = state.get("q")
    state.clear()
    state["flow"] = flow
    if keep_q is not None:
        state["q"] = keep_q
    state.update(values)


def is_valid_state(state: object) -> bool:
    """JSON-safe dict with a known shape (used by property tests and on load)."""
    if not isinstance(state, dict):
        return False
    flow = state.get("flow", Flow.IDLE.value)
    return isinstance(flow, str) and all(isinstance(k, str) for k in state)
