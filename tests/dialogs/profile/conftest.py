"""Fixtures of the /collectivite tests: the service on the fake store, with a settable clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.team.steps import Clock
from tests.helpers.fake_store import FakeDatabase


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(fake_db: FakeDatabase, referential: Referential, clock: Clock) -> Iterator[ChatService]:
    config = EngineConfig(bot_username="ecoclic_test_bot")
    service = ChatService(fake_db, referential, config, clock)
    yield service
    service.close()
