"""Fixtures of the reminder tests: the real service on SQLite, with a clock the test moves."""

from __future__ import annotations

from typing import Any

import pytest

from referential.models import Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import Clock, paris, service_with


@pytest.fixture
def clock() -> Clock:
    return Clock(paris(2026, 11, 23, 10))  # a Monday


@pytest.fixture
async def alice(sessions: Any, referential: Referential, clock: Clock) -> ChatDriver:
    driver = ChatDriver.for_user(service_with(sessions, referential, clock), "alice", "Alice")
    await driver.register()
    return driver
