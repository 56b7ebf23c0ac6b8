"""What the team tests do again and again: a settable clock, inviting, asking to join, reading roles."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase

SIRET = "21310555400017"
OTHER_SIRET = "21600057000012"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def payload_of(driver: ChatDriver) -> str:
    texts = "\n".join(r.text for r in driver.transcript)
    links = re.findall(r"https://t\.me/ecoclic_test_bot\?start=([A-Za-z0-9_-]+)", texts)
    assert links, texts
    return str(links[-1])


async def invite(admin: ChatDriver) -> str:
    await admin.say("/equipe")
    await admin.press("Inviter")
    return payload_of(admin)


async def ask_to_join(driver: ChatDriver, siret: str = SIRET) -> None:
    await driver.say("/start")
    await driver.press("Inscrire")
    await driver.say(siret)
    assert "transmis votre demande" in driver.text()


def roles(db: FakeDatabase) -> dict[str, str]:
    """Each member's role, by the person's external id."""
    people = {u["id"]: u["external_id"] for u in db.rows("users")}
    return {people[m["user_id"]]: m["role"] for m in db.rows("memberships")}
