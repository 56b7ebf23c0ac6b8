"""OPSN (public digital-service operators): a collectivité's attachment request and its end, the
referents' followed collectivités, and platform administration (/admin, referent links).
Owns the "at" and "pa" button families (`dialogs.opsn.buttons`)."""

from __future__ import annotations

from dialogs.opsn import attachment, ending, follow, platform
from dialogs.router import Router

router = Router()
router.include(attachment.router)
router.include(ending.router)
router.include(follow.router)
router.include(platform.router)

__all__ = ["router"]
