"""Real databases for tests: a migrated SQLite file, or a freshly reset PostgreSQL schema."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
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


async def reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def fresh_database(backend: str, tmp_dir: str) -> str:
    """Return the URL of an empty, migrated database of that backend."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_dir}/test.sqlite3"
    else:
        url = as_async_url(POSTGRES_URL)
        await reset_postgres(url)
    await upgrade(url)
    return url
