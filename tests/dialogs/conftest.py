"""Engine tests run on the in-memory fake store: `service` and `chat` use `fake_db`.

A test that needs SQL semantics (row locks, the real schema, the reminder tick) asks for
`sql_service` / `sql_chat` (tests/conftest.py) and inspects the database through `sessions`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
from tests.helpers.fake_store import FakeDatabase


@pytest.fixture
def fake_db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def service(fake_db: FakeDatabase, referential: Referential) -> Iterator[ChatService]:
    service = ChatService(fake_db, referential, EngineConfig())
    yield service
    service.close()
