"""The plan package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.plan.add
import dialogs.plan.assignees
import dialogs.plan.close
import dialogs.plan.due
import dialogs.plan.items
import dialogs.plan.listing
import dialogs.plan.own
from dialogs.router import Router

router = Router()
for _module in (
    dialogs.plan.listing,
    dialogs.plan.items,
    dialogs.plan.assignees,
    dialogs.plan.due,
    dialogs.plan.close,
    dialogs.plan.add,
    dialogs.plan.own,
):
    router.include(_module.router)

__all__ = ["router"]
