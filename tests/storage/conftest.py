"""The `backend` fixture: every storage contract test runs on SQLite, PostgreSQL (when
ECOCLIC_TEST_POSTGRES_URL is set) and the in-memory fake store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.db import create_engine, session_factory
from tests.helpers.db import (
    BACKENDS,
    StoreBackend,
    drop_postgres_database,
    fake_backend,
    fresh_database,
    sql_backend,
)


@pytest.fixture(params=[*BACKENDS, "fake"])
async def backend(request: pytest.FixtureRequest, tmp_path: object) -> AsyncIterator[StoreBackend]:
    if request.param == "fake":
        yield fake_backend()
        return
    url = await fresh_database(request.param, str(tmp_path))
    engine = create_engine(url)
    try:
        yield sql_backend(request.param, session_factory(engine))
    finally:
        await engine.dispose()
        if request.param == "postgresql":
            await drop_postgres_database(url)
