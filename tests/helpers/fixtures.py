"""Pytest fixtures over the fake Bot API (import them into a conftest.py to use them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.helpers.fake_bot_api import FakeBotApi


@pytest_asyncio.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    """A started fake on a free 127.0.0.1 port, stopped after the test.

    Fails the test if the fake itself crashed on a request (its bug, not the bot's).
    """
    async with FakeBotApi() as fake:
        yield fake
    assert not fake.internal_errors, f"the fake Bot API crashed: {fake.internal_errors!r}"
