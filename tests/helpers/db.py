"""Real databases for tests: a migrated SQLite file, or a freshly reset PostgreSQL schema."""

from __future__ import annotations

import itertools
import os

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import upgrade

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
