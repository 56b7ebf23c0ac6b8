"""The privacy package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.privacy.erasure
import dialogs.privacy.export
import dialogs.privacy.notice
from dialogs.router import Router

router = Router()
for _module in (dialogs.privacy.notice, dialogs.privacy.export, dialogs.privacy.erasure):
    router.include(_module.router)

__all__ = ["router"]
