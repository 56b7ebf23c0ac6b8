"""Reminders of the action plan: /rappels and the reminder buttons (`settings`), which reminders
are due at an instant (`planning`, pure) and their wording (`texts`, pure).

The tick that queues them (load candidates → plan → render → insert, in one transaction) is wired
in ecoclic.reminders; storage.reminders only runs its SQL.

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
