"""The profile package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.profile.chat
import dialogs.profile.edit
from dialogs.router import Router

router = Router()
for _module in (dialogs.profile.chat, dialogs.profile.edit):
    router.include(_module.router)

__all__ = ["router"]
