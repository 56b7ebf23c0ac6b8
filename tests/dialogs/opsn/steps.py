"""What the OPSN tests do again and again: add an OPSN, make a referent, ask for an attachment,
read the fake store's rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dialogs.context import EngineConfig
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase

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


def level2(db: FakeDatabase) -> dict[str, bool]:
    """Whether level 2 is unlocked, by collectivité name."""
    return {c["name"]: c["level2_enabled"] for c in db.rows("collectivites")}


def attachment_statuses(db: FakeDatabase) -> list[str]:
    return [a["status"] for a in db.rows("attachments")]


async def request_attachment(admin: ChatDriver, opsn_name: str = "Opérateur Occitan") -> None:
    await admin.say("/rattachement")
    await admin.press(opsn_name)
    await admin.press("Envoyer la demande")
    assert f"Demande envoyée à {opsn_name}" in admin.text()
