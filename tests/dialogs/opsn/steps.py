"""What the OPSN tests do again and again: add an OPSN, make a referent, ask for an attachment."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from dialogs.context import EngineConfig
from storage.models import Collectivite, User
from tests.helpers.chat import ChatDriver

SIRET = "21310555400017"
OTHER_SIRET = "21600057000012"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CONFIG = EngineConfig(bot_username="ecoclic_test_bot", platform_admins=frozenset({"root"}))


def last_payload(driver: ChatDriver) -> str:
    texts = "\n".join(r.text for r in driver.transcript)
    return str(re.findall(r"\?start=([A-Za-z0-9_-]+)", texts)[-1])


async def add_opsn(root: ChatDriver, line: str) -> None:
    await root.say("/admin")
    await root.press("Ajouter un OPSN")
    await root.say(line)
    assert "OPSN enregistré" in root.text(), root.text()


async def make_referent(root: ChatDriver, person: ChatDriver, opsn_name: str) -> None:
    await root.say("/admin")
    await root.press("Inviter un référent")
    await root.press(opsn_name)
    await person.say(f"/start {last_payload(root)}")
    assert f"Vous êtes maintenant référent de {opsn_name}" in person.text()


async def level2(sessions: object) -> dict[str, bool]:
    async with sessions() as session:  # type: ignore[operator]
        rows = await session.execute(select(Collectivite.name, Collectivite.level2_enabled))
        return dict(rows.all())


async def request_attachment(admin: ChatDriver, opsn_name: str = "Opérateur Occitan") -> None:
    await admin.say("/rattachement")
    await admin.press(opsn_name)
    await admin.press("Envoyer la demande")
    assert f"Demande envoyée à {opsn_name}" in admin.text()


async def user_id(sessions: object, external_id: str) -> int:
    async with sessions() as session:  # type: ignore[operator]
        found = await session.scalar(select(User.id).where(User.external_id == external_id))
        assert found is not None
        return int(found)
