"""The action plan: items born from the answers, the /plan list, one item's screens.

Modules: `buttons` (the "p:…" button families), `view` (labels, order, filters — pure, shared with
the reminder messages), `schedule` (calendar arithmetic of due dates and reminders — pure),
`cards` (finding an item safely, its card), `sync` (items completed from the answers), `listing`
(/plan), `items` (status, reason, resources, history), `assignees`, `due`, `close` (a done action
offers the matching answer).
"""

from __future__ import annotations

from dialogs.plan import assignees, close, due, items, listing
from dialogs.router import Router

router = Router()
for _module in (listing, items, assignees, due, close):
    router.include(_module.router)

__all__ = ["router"]
