"""The reminders package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.reminders.settings
from dialogs.router import Router

router = Router()
for _module in (dialogs.reminders.settings,):
    router.include(_module.router)

__all__ = ["router"]
