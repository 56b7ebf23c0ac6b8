"""The in-memory tables under the fake store, and the JSON codec every value crosses.

Rows hold JSON values only (datetimes as ISO strings in UTC, dates as ISO strings, enums as their
values), so the whole database is one JSON document: a snapshot is `json.dumps`, a rollback is
`json.loads`. Records handed out are decoded from a fresh JSON copy of the rows, and values handed
in are encoded and checked, so nothing the engine holds is shared with the tables by reference.
"""

from __future__ import annotations

import dataclasses
import json
import types
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
Row = dict[str, Any]

# What the SQL schema refuses twice (UNIQUE constraints), table by table.
UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "users": (("channel", "external_id"),),
    "collectivites": (("siret",),),
    "memberships": (("user_id", "collectivite_id"),),
    "invitations": (("token",),),
    "opsn": (("slug",),),
    "referents": (("opsn_id", "user_id"),),
    "outbox": (("key",),),
    "action_items": (("collectivite_id", "question_id"),),
    "answers": (("collectivite_id", "question_id"),),
    "conversations": (("user_id",),),
    "processed_events": (("key",),),
    "key_values": (("key",),),
}
# Tables whose primary key is not an `id` sequence (rows are listed in primary-key order).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "targets": ("collectivite_id",),
    "answers": ("collectivite_id", "question_id"),
    "conversations": ("user_id",),
    "processed_events": ("key",),
    "key_values": ("key",),
}
TABLES = (
    *UNIQUE,
    "join_requests",
    "attachments",
    "answer_history",
    "score_snapshots",
    "action_events",
    "targets",
    "recommendation_proposals",
)


class IntegrityViolation(Exception):
    """A row broke a UNIQUE constraint of the SQL schema (the fake refuses it the same way)."""


def utc(value: datetime) -> datetime:
    """How the SQL columns store a timestamp: in UTC, naive values taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def dump(value: Any) -> Any:
    """A JSON value for `value`; refuses anything JSON (or the SQL columns) could not keep."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError(f"JSON object keys must be strings: {value!r}")
        return {k: dump(v) for k, v in value.items()}
    raise TypeError(f"not JSON-safe: {value!r}")


def copy_json(value: Any) -> Any:
    """A deep copy made by a real JSON round trip (fails on anything that is not JSON)."""
    return json.loads(json.dumps(value))


def load(kind: Any, data: Any) -> Any:
    """Decode JSON `data` as a value of type `kind` (the annotations of the records)."""
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        if data is None:
            return None
        (inner,) = [a for a in get_args(kind) if a is not type(None)]
        return load(inner, data)
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is date:
        return date.fromisoformat(data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if origin is tuple:
        return tuple(load(get_args(kind)[0], v) for v in data)
    if origin is list:
        return [load(get_args(kind)[0], v) for v in data]
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = get_type_hints(kind)
        return kind(
            **{
                f.name: load(hints[f.name], data[f.name])
                for f in dataclasses.fields(kind)
                if f.init
            }
        )
    return data


def record(kind: type[T], data: Row) -> T:
    """A record of type `kind` from the row's fields of that name, through a JSON round trip."""
    names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
    return load(kind, copy_json({n: data[n] for n in names if n in data}))  # type: ignore[no-any-return]


class Tables:
    """Every table as a list of rows, plus the id sequences; JSON from end to end."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {"rows": {t: [] for t in TABLES}, "ids": {}}

    def snapshot(self) -> str:
        return json.dumps(self.data)

    def restore(self, snapshot: str) -> None:
        self.data = json.loads(snapshot)

    def rows(self, table: str) -> list[Row]:
        rows: list[Row] = self.data["rows"][table]
        return rows

    def ordered(self, table: str) -> list[Row]:
        """The rows in primary-key order, as SQL lists them."""
        key = NATURAL_KEYS.get(table, ("id",))
        return sorted(self.rows(table), key=lambda row: tuple(row[k] for k in key))

    def where(self, table: str, **equal: Any) -> list[Row]:
        wanted = {k: dump(v) for k, v in equal.items()}
        return [r for r in self.rows(table) if all(r[k] == v for k, v in wanted.items())]

    def one(self, table: str, **equal: Any) -> Row | None:
        found = self.where(table, **equal)
        return found[0] if found else None

    def get(self, table: str, row_id: int) -> Row | None:
        return self.one(table, id=row_id)

    def insert(self, table: str, **values: Any) -> Row:
        row: Row = {k: dump(v) for k, v in values.items()}
        for columns in UNIQUE.get(table, ()):
            if any(row[c] is None for c in columns):
                continue  # NULLs never collide in SQL (an own action has no question)
            if self.where(table, **{c: row[c] for c in columns}):
                raise IntegrityViolation(f"{table}: duplicate {columns}")
        if table not in NATURAL_KEYS:
            row["id"] = self.data["ids"].get(table, 0) + 1
            self.data["ids"][table] = row["id"]
        self.rows(table).append(row)
        return row

    def update(self, row: Row, **values: Any) -> None:
        row.update({k: dump(v) for k, v in values.items()})

    def delete(self, table: str, rows: list[Row]) -> int:
        ids = {id(r) for r in rows}
        kept = [r for r in self.rows(table) if id(r) not in ids]
        gone = len(self.rows(table)) - len(kept)
        self.data["rows"][table] = kept
        return gone
