"""Storage: the SQLAlchemy implementation of the engine's ports, and the queries around it.

- `database` — `SqlDatabase`, the unit of work around one event (`dialogs.ports.Database`): event
  dedupe, user upsert, versioned conversation, retries through `transactions.run_transaction`.
- `store` — `SqlStore(session)`, one aggregate per module: `people`, `answers`, `plan`, `opsn`,
  `outbox` (which also holds the dispatcher's claim/mark functions), `privacy` (exports, erasure,
  and the retention queries).
- `db` (engine, sessions, migrations), `models` (the schema), `peers`, `summary`, `key_values`,
  `maintenance`, `reminders` (the reminder tick).

Storage returns `dialogs.records` values, never ORM rows, and imports no dialogs feature package.
"""
