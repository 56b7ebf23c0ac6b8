"""Fixtures wiring: environment isolation, real databases, the service.

`service` and `chat` run on SQLite here; tests/dialogs/conftest.py points them at the in-memory fake
store for engine tests, which ask for `sql_service` / `sql_chat` when they need SQL itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

# python-telegram-bot 22 warns (an error under our filterwarnings) when RetryAfter is built with an
# int unless time periods are opted in as timedelta; the adapters read `retry_after` as a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.loader import default_referential
from referential.models import Referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory
from tests.helpers.chat import ChatDriver
from tests.helpers.db import (
    BACKENDS,
    POSTGRES_URL,
    drop_all_created,
    drop_postgres_database,
    fresh_database,
)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results never depend on the shell: drop every ECOCLIC_* variable."""
    for key in list(os.environ):
        if key.startswith("ECOCLIC_"):
            monkeypatch.delenv(key)


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return fresh_database("sqlite", str(tmp_path))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    url = fresh_database(request.param, str(tmp_path))
    yield url
    if request.param == "postgresql":
        drop_postgres_database(url)


@pytest.fixture(scope="session", autouse=True)
def _drop_leftover_databases() -> Iterator[None]:
    """Databases made outside the `db_url` fixture are dropped when the session ends."""
    yield
    if POSTGRES_URL:
        drop_all_created()


@pytest.fixture
def sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(sqlite_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def referential() -> Referential:
    return default_referential()


@pytest.fixture
def sql_service(sessions: sessionmaker[Session], referential: Referential) -> Iterator[ChatService]:
    # The fake Bot API's username, as `ecoclic serve` would learn it from getMe.
    config = EngineConfig(bot_username="ecoclic_test_bot")
    service = ChatService(SqlDatabase(sessions), referential, config)
    yield service
    service.close()


@pytest.fixture
def sql_chat(sql_service: ChatService) -> ChatDriver:
    return ChatDriver.for_user(sql_service)


@pytest.fixture
def service(sql_service: ChatService) -> ChatService:
    return sql_service


@pytest.fixture
def chat(service: ChatService) -> ChatDriver:
    return ChatDriver.for_user(service)
