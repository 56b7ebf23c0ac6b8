"""Fixtures of the OPSN tests: the service on the fake store, and a small world of people."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.opsn.steps import CONFIG, NOW, SIRET, add_opsn, last_payload, make_referent
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase


@pytest.fixture
def svc(fake_db: FakeDatabase, referential: Referential) -> Iterator[ChatService]:
    service = ChatService(fake_db, referential, CONFIG, lambda: NOW)
    yield service
    service.close()


@pytest.fixture
async def world(svc: ChatService) -> dict[str, ChatDriver]:
    """Platform admin, two OPSN (one serving 31), their referents, a commune of the 31 with an élu."""
    people = {
        key: ChatDriver.for_user(svc, key, name)
        for key, name in [
            ("root", "Déclic"),
            ("admin", "Camille"),
            ("elu", "Dominique"),
            ("ref", "Romane"),
            ("ref2", "Sacha"),
            ("far", "Lou"),
        ]
    }
    await add_opsn(people["root"], "Opérateur Occitan ; occitan ; 31, 09")
    await add_opsn(people["root"], "Opérateur Lointain ; lointain ; 60")
    await make_referent(people["root"], people["ref"], "Opérateur Occitan")
    await make_referent(people["root"], people["ref2"], "Opérateur Occitan")
    await make_referent(people["root"], people["far"], "Opérateur Lointain")
    await people["admin"].register(siret=SIRET, name="Commune de Beauvoir", dep="31")
    await people["admin"].say("/equipe")
    await people["admin"].press("Inviter")
    await people["elu"].say(f"/start {last_payload(people['admin'])}")
    return people
