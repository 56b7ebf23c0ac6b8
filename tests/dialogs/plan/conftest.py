"""Fixtures of the plan tests: the service on the fake store, with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import Clock, paris


@pytest.fixture
def clock() -> Clock:
    return Clock(paris(2026, 11, 23, 10))  # a Monday


@pytest.fixture
def service(fake_db: FakeDatabase, referential: Referential, clock: Clock) -> Iterator[ChatService]:
    svc = ChatService(fake_db, referential, EngineConfig(), clock=clock)
    yield svc
    svc.close()


@pytest.fixture
async def alice(service: ChatService) -> ChatDriver:
    driver = ChatDriver.for_user(service, "alice", "Alice")
    await driver.register()
    return driver
