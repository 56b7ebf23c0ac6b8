"""The questionnaire package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.questionnaire.onboarding
import dialogs.questionnaire.questions
import dialogs.questionnaire.results
from dialogs.router import Router

router = Router()
for _module in (
    dialogs.questionnaire.onboarding,
    dialogs.questionnaire.questions,
    dialogs.questionnaire.results,
):
    router.include(_module.router)

__all__ = ["router"]
