"""The collectivité's team: /equipe (members, administrators, leaving), functions, invitations and
join requests. Owns the "tm" and "jr" button families (`dialogs.team.buttons`)."""

from __future__ import annotations

from dialogs.router import Router
from dialogs.team import functions, joining, members

router = Router()
router.include(members.router)
router.include(functions.router)
router.include(joining.router)

__all__ = ["router"]
