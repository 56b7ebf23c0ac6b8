"""The opsn package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.opsn.attachment
import dialogs.opsn.ending
import dialogs.opsn.follow
import dialogs.opsn.platform
import dialogs.opsn.push
import dialogs.opsn.push_answer
import dialogs.opsn.push_catalogue
import dialogs.opsn.push_notify
import dialogs.opsn.supervision
from dialogs.router import Router

router = Router()
for _module in (
    dialogs.opsn.attachment,
    dialogs.opsn.ending,
    dialogs.opsn.follow,
    dialogs.opsn.platform,
    dialogs.opsn.push,
    dialogs.opsn.push_answer,
    dialogs.opsn.push_catalogue,
    dialogs.opsn.push_notify,
    dialogs.opsn.supervision,
):
    router.include(_module.router)

__all__ = ["router"]
