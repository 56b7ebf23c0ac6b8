"""Fixtures of the team tests: the real service on SQLite, with a clock the test moves."""

from __future__ import annotations

import pytest

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from tests.dialogs.team.steps import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(sessions: object, referential: Referential, clock: Clock) -> ChatService:
    config = EngineConfig(bot_username="ecoclic_test_bot")
    return ChatService(SqlDatabase(sessions), referential, config, clock)  # type: ignore[arg-type]
