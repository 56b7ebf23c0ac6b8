"""Reminders of the action plan: /rappels and the reminder buttons (`settings`), which reminders
are due at an instant (`planning`, pure) and their wording (`texts`, pure).

The tick that queues them (load candidates → plan → render → insert, in one transaction) is wired
in ecoclic.reminders; storage.reminders only runs its SQL.
"""

from __future__ import annotations

from dialogs.reminders import settings
from dialogs.router import Router

router = Router()
router.include(settings.router)

__all__ = ["router"]
