"""Databases for tests: a migrated SQLite file, a fresh PostgreSQL database, or the in-memory fake."""

from __future__ import annotations

import itertools
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from dialogs.ports import Database
from storage.database import SqlDatabase
from storage.db import upgrade
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


def as_async_url(url: str) -> str:
    """Accept plain postgresql:// URLs too; the project talks asyncpg."""
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgres://")
    return url


_counter = itertools.count(1)
_created: list[str] = []


async def _admin(statement: str) -> None:
    engine = create_async_engine(as_async_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def create_postgres_database() -> str:
    """A new, empty database per test: runs in parallel (other suites, CI) never collide."""
    name = f"ecoclic_t_{os.getpid()}_{next(_counter)}"
    await _admin(f'CREATE DATABASE "{name}"')
    _created.append(name)
    return (
        make_url(as_async_url(POSTGRES_URL))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


async def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    if name and name in _created:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _created.remove(name)


async def drop_all_created() -> None:
    for name in list(_created):
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _created.remove(name)


async def fresh_database(backend: str, tmp_dir: str) -> str:
    """Return the URL of an empty, migrated database of that backend."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_dir}/test.sqlite3"
    else:
        url = await create_postgres_database()
    await upgrade(url)
    return url


@dataclass
class StoreBackend:
    """One implementation of `dialogs.ports.Database` under test, and a way to read its tables.

    `rows(table)` gives every row of a table as JSON values (timestamps as ISO strings in UTC),
    ordered by primary key, whatever the backend: the contract tests compare them directly.
    """

    name: str
    db: Database
    rows: Callable[[str], Awaitable[list[dict[str, Any]]]]
    twin: Callable[[], Database]  # another process's handle on the same data

    @property
    def is_sql(self) -> bool:
        return self.name != "fake"


def sql_backend(name: str, sessions: async_sessionmaker[AsyncSession]) -> StoreBackend:
    async def rows(table: str) -> list[dict[str, Any]]:
        columns = Base.metadata.tables[table]
        async with sessions() as session:
            result = await session.execute(select(columns).order_by(*columns.primary_key.columns))
            return [{k: dump(v) for k, v in row.items()} for row in result.mappings()]

    return StoreBackend(name, SqlDatabase(sessions), rows, lambda: SqlDatabase(sessions))


def fake_backend() -> StoreBackend:
    fake = FakeDatabase()

    async def rows(table: str) -> list[dict[str, Any]]:
        return fake.rows(table)

    return StoreBackend("fake", fake, rows, lambda: fake)
