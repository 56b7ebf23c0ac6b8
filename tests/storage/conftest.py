"""The `backend` fixture: every storage contract test runs on SQLite, PostgreSQL (when
ECOCLIC_TEST_POSTGRES_URL is set) and the in-memory fake store."""

from __future__ import annotations

from collections.abc import Iterator

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
def backend(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[StoreBackend]:
    if request.param == "fake":
        yield fake_backend()
        return
    url = fresh_database(request.param, str(tmp_path))
    engine = create_engine(url)
    try:
        yield sql_backend(request.param, session_factory(engine))
    finally:
        engine.dispose()
        if request.param == "postgresql":
            drop_postgres_database(url)
