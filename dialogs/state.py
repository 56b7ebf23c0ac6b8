"""Conversation states: which flow a user is in, and what typed text means there.

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
    idle --> plan_due: Échéance › Autre date
    idle --> plan_reason: Non retenu
    idle --> plan_add: /plan › Ajouter une action
    plan_add --> plan_add: title → theme → priority → description → assignee → due → confirm
    plan_add --> idle: Enregistrer, Annuler, /annuler
    idle --> plan_own_edit: an own action › Modifier › Titre or Description
    plan_own_edit --> idle: the new text, /annuler
    idle --> team_function: Ma fonction › Autre
    idle --> opsn_add: /admin › Ajouter un OPSN
    plan_due --> idle: a date, /annuler
    plan_reason --> idle: a reason, /annuler
    team_function --> idle: a label, /annuler
    opsn_add --> idle: name and départements, /annuler
    idle --> opsn_push: /collectivites › Proposer une action › a collectivité or all
    opsn_push --> opsn_push: catalogue or title → why → how → priority, then due date
    opsn_push --> idle: Envoyer, Annuler, /annuler
    idle --> push_reason: a pushed recommendation › Pas pour nous
    push_reason --> idle: a reason or Sans motif, /annuler
    idle --> privacy_delete: /supprimer › Supprimer toute la collectivité
    privacy_delete --> idle: the collectivité's name (deleted) or anything else, /annuler
    idle --> level2: /niveau2, a section, an indicator's missing answer
    level2 --> level2: answer (typed or buttons), skip, back, edit an earlier answer
    level2 --> idle: /annuler, last level-2 question answered
    idle --> profile_edit: /collectivite › Modifier › a field
    profile_edit --> idle: a valid value (stored), Annuler, /annuler
```
Every flow returns to idle on /annuler; a flow no feature handles any more falls back to idle.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Flow(StrEnum):
    """Every flow of the product; the values are stored in conversation states."""

    IDLE = "idle"
    ONBOARDING = "onboarding"
    QUESTIONNAIRE = "questionnaire"
    PLAN_DUE = "plan_due"  # typing a due date (JJ/MM/AAAA)
    PLAN_REASON = "plan_reason"  # typing why an action is set aside
    PLAN_ADD = "plan_add"  # adding the team's own action, step by step (dialogs.plan.add)
    PLAN_OWN_EDIT = "plan_own_edit"  # an administrator typing an own action's new title or text
    TEAM_FUNCTION = "team_function"  # typing one's function label
    OPSN_ADD = "opsn_add"  # a platform administrator typing a new OPSN
    OPSN_PUSH = "opsn_push"  # a referent writing a recommendation to push (dialogs.opsn.push)
    PUSH_REASON = "push_reason"  # a team administrator typing why a pushed one is not for them
    PRIVACY_DELETE = "privacy_delete"  # typing the collectivité's name to delete it
    LEVEL2 = "level2"  # a level-2 question asked: typed text answers it (dialogs.level2.flow)
    PROFILE_EDIT = "profile_edit"  # an administrator typing a new name, département, population


class OnboardingStep(StrEnum):
    SIRET = "siret"
    KIND = "kind"
    NAME = "name"
    DEPARTEMENT = "departement"
    POPULATION = "population"
    CONFIRM = "confirm"


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
