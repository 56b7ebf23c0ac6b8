"""Reminders of the action plan: /rappels and the reminder buttons (`settings`), what a tick looks
for at an instant (`window`, pure), which reminders are due (`planning`, pure) and their wording
(`texts`, pure).

The tick that queues them (batch by batch: read candidates → plan → render → insert) is wired in
ecoclic.reminders; storage.reminders only runs its SQL.

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
