"""Issue 16 through Telegram (fake Bot API, both adapters): a secrétaire de mairie invited by two
communes switches between them with /collectivite; every reply names the active one, and a
notification's button of the other one acts on it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.dispatcher import OutboxDispatcher
from tests.bot.telegram.conftest import RunningBot
from tests.helpers.fake_bot_api import BotMessage
from tests.helpers.telegram_driver import TelegramUser

RIVIERE, MONT, SEC = 401, 402, 403
SECOND_SIRET = "21310000100014"  # another commune of the Haute-Garonne (passes its checksum)


@pytest.fixture
async def dispatcher(polling_bot: RunningBot, sessions: Any) -> AsyncIterator[None]:
    stop = asyncio.Event()
    outbox = OutboxDispatcher(sessions, polling_bot.runtime.delivery, poll_interval=0.05)
    task = asyncio.create_task(outbox.run_forever(stop))
    yield
    stop.set()
    await task


def payload_in(messages: list[BotMessage]) -> str:
    found = re.findall(r"\?start=([A-Za-z0-9_-]+)", "\n".join(m.text for m in messages))
    assert found, [m.text for m in messages]
    return found[-1]


def seen(user: TelegramUser, new: list[BotMessage]) -> str:
    return user.texts(new) if new else user.messages()[-1].text


async def invite(admin: TelegramUser) -> str:
    await admin.say("/equipe")
    return payload_in(await admin.tap("Inviter une personne"))


async def test_secretaire_of_two_communes_through_telegram(
    polling_bot: RunningBot, dispatcher: None
) -> None:
    riviere = polling_bot.user(RIVIERE, name="Ana")
    mont = polling_bot.user(MONT, name="Bruno")
    sec = polling_bot.user(SEC, name="Sophie")
    await riviere.register(name="Commune de Rivière")
    await mont.register(siret=SECOND_SIRET, name="Commune du Mont")
    await sec.say(f"/start {await invite(riviere)}")
    joined = seen(sec, await sec.say(f"/start {await invite(mont)}"))
    assert joined.startswith("🏛 Commune du Mont\nBienvenue dans l’équipe de Commune du Mont")

    screen = seen(sec, await sec.say("/collectivite"))
    assert "✅ Commune du Mont (membre)" in screen and "• Commune de Rivière" in screen
    switched = seen(sec, await sec.tap("Passer à Commune de Rivière"))
    assert switched.startswith("🏛 Commune de Rivière\nVous travaillez maintenant pour")
    assert seen(sec, await sec.say("/equipe")).startswith("🏛 Commune de Rivière\n")

    # A join request to Mont reaches its administrators, Sophie included: she answers it from
    # the notification while Rivière is active, and it is Mont's team that grows.
    newcomer = polling_bot.user(404, name="Eli")
    await newcomer.say("/start")
    await newcomer.tap("Inscrire ma collectivité")
    await mont.say("/equipe")
    await mont.tap("Nommer administrateur")
    await mont.tap("Sophie")
    await newcomer.say(SECOND_SIRET)
    request = await polling_bot.fake.wait_for(
        lambda: next((m for m in sec.messages() if "Eli demande à rejoindre" in m.text), None),
        10.0,
    )
    accept = next(data for row in request.buttons for label, data in row if label == "Accepter")
    decided = seen(sec, await sec.tap_data(request.message_id, accept))
    assert decided.startswith("🏛 Commune du Mont\n✅ Eli fait maintenant partie de l’équipe.")
    assert "Eli" in seen(mont, await mont.say("/equipe"))
    assert "Eli" not in seen(riviere, await riviere.say("/equipe"))
    assert "🏛" not in riviere.messages()[-1].text  # one collectivité: no header
