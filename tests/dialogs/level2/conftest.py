"""Level-2 tests reuse the OPSN world (tests/dialogs/opsn): an OPSN, its referents, a commune with
an administrator and an élu; `attached` has the OPSN accept the commune, unlocking level 2."""

from __future__ import annotations

import pytest

from tests.dialogs.opsn.conftest import svc, world
from tests.dialogs.opsn.steps import request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button

__all__ = ["attached", "svc", "world"]


@pytest.fixture
async def attached(world: dict[str, ChatDriver], fake_db: FakeDatabase) -> dict[str, ChatDriver]:
    await request_attachment(world["admin"])
    await world["ref"].tap(button(fake_db.inbox("ref")[-1], "Accepter"))
    assert "accompagne désormais Commune de Beauvoir" in world["ref"].text()
    return world
