"""Databases for tests: a migrated SQLite file, a fresh PostgreSQL database, or the in-memory fake."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from dialogs.ports import Database
from storage.database import SqlDatabase
from storage.db import database_url, upgrade
from storage.models import Base
from tests.helpers.fake_data import dump
from tests.helpers.fake_store import FakeDatabase

# Read once at import, before the autouse fixture clears ECOCLIC_* variables.
POSTGRES_URL = os.environ.get("ECOCLIC_TEST_POSTGRES_URL", "")

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="ECOCLIC_TEST_POSTGRES_URL not set"),
    ),
]


_counter = itertools.count(1)
_created: list[str] = []


def _admin(statement: sql.Composed) -> None:
    """Run CREATE/DROP DATABASE on the server's connection (psycopg 3, autocommit)."""
    url = make_url(database_url(POSTGRES_URL))
    with psycopg.connect(
        host=url.host or "",
        port=url.port,
        user=url.username,
        password=url.password,
        dbname=url.database or "postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement)


def create_postgres_database() -> str:
    """A new, empty database per test: runs in parallel (other suites, CI) never collide."""
    name = f"ecoclic_t_{os.getpid()}_{next(_counter)}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _created.append(name)
    return (
        make_url(database_url(POSTGRES_URL))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def _drop(name: str) -> sql.Composed:
    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    if name and name in _created:
        _admin(_drop(name))
        _created.remove(name)


def drop_all_created() -> None:
    for name in list(_created):
        _admin(_drop(name))
        _created.remove(name)


def fresh_database(backend: str, tmp_dir: str) -> str:
    """Return the URL of an empty, migrated database of that backend."""
    url = f"sqlite:///{tmp_dir}/test.sqlite3" if backend == "sqlite" else create_postgres_database()
    upgrade(url)
    return url


@dataclass
class StoreBackend:
    """One implementation of `dialogs.ports.Database` under test, and a way to read its tables.

    `rows(table)` gives every row of a table as JSON values (timestamps as ISO strings in UTC),
    ordered by primary key, whatever the backend: the contract tests compare them directly.
    """

    name: str
    db: Database
    rows: Callable[[str], list[dict[str, Any]]]
    twin: Callable[[], Database]  # another process's handle on the same data

    @property
    def is_sql(self) -> bool:
        return self.name != "fake"


def sql_backend(name: str, sessions: sessionmaker[Session]) -> StoreBackend:
    def rows(table: str) -> list[dict[str, Any]]:
        columns = Base.metadata.tables[table]
        with sessions() as session:
            result = session.execute(select(columns).order_by(*columns.primary_key.columns))
            return [{k: dump(v) for k, v in row.items()} for row in result.mappings()]

    return StoreBackend(name, SqlDatabase(sessions), rows, lambda: SqlDatabase(sessions))


def fake_backend() -> StoreBackend:
    fake = FakeDatabase()

    def rows(table: str) -> list[dict[str, Any]]:
        return fake.rows(table)

    return StoreBackend("fake", fake, rows, lambda: fake)
