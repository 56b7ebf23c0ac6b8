"""The team package's router: every handler module of the feature, merged once for the engine."""

from __future__ import annotations

import dialogs.team.functions
import dialogs.team.invitations
import dialogs.team.joining
import dialogs.team.members
from dialogs.router import Router

router = Router()
for _module in (
    dialogs.team.members,
    dialogs.team.functions,
    dialogs.team.joining,
    dialogs.team.invitations,
):
    router.include(_module.router)

__all__ = ["router"]
