"""The action plan: items born from the answers, the /plan list, one item's screens.

Modules: `buttons` (the "p:…" button families), `view` (labels, order, filters — pure, shared with
the reminder messages), `schedule` (calendar arithmetic of due dates and reminders — pure),
`cards` (finding an item safely, its card), `sync` (items completed from the answers), `listing`
(/plan), `items` (status, reason, resources, history), `assignees`, `due`, `close` (a done action
offers the matching answer).

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
