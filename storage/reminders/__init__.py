"""The reminder tick's SQL: candidate rows, batch by batch, and the bulk insert of the messages.

`SqlReminderRows` implements dialogs.reminders.planning's `ReminderRows` in the caller's session.
A tick runs every minute of the reminder hours, so each query asks only for what may be new at
that instant (the window worked out by dialogs.reminders.window): the key of the reminder an item
or a person would get is built in SQL and looked up in the outbox's unique index (`keys`), and rows
whose key is there already never leave the database (`rows`). The tick reads through connections
of its own that never hold SQLite's write lock (`readers`).
"""

from storage.reminders.readers import readers
from storage.reminders.rows import (
    AdminOf,
    AssignedItem,
    MonthFacts,
    Recipient,
    SqlReminderRows,
    insert_messages,
)

__all__ = [
    "AdminOf",
    "AssignedItem",
    "MonthFacts",
    "Recipient",
    "SqlReminderRows",
    "insert_messages",
    "readers",
]
