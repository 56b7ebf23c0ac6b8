"""The opsn package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.opsn.attachment
import dialogs.opsn.ending
import dialogs.opsn.follow
import dialogs.opsn.platform
import dialogs.opsn.supervision
from dialogs.router import Router

router = Router()
for _module in (
    dialogs.opsn.attachment,
    dialogs.opsn.ending,
    dialogs.opsn.follow,
    dialogs.opsn.platform,
    dialogs.opsn.supervision,
):
    router.include(_module.router)

__all__ = ["router"]
