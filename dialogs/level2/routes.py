"""The level-2 package's router: every handler module of the feature, merged once for the engine.

/niveau2 itself is registered by dialogs.opsn.attachment (where level 2 is unlocked) and calls
`dialogs.level2.menu.level2_entry`.
"""

from __future__ import annotations

import dialogs.level2.flow
import dialogs.level2.indicators
import dialogs.level2.menu
from dialogs.router import Router

router = Router()
for _module in (dialogs.level2.flow, dialogs.level2.indicators, dialogs.level2.menu):
    router.include(_module.router)

__all__ = ["router"]
