"""Issue 17: invitation links on Telegram carry the username getMe gives (as `ecoclic serve` wires
it), and the `/start CODE` message beneath them, as Matrix users get (fake Bot API, both adapters)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.telegram.options import TelegramOptions
from ecoclic.service import ChatService
from tests.bot.telegram.conftest import (
    FAST_CHAT_BURST,
    FAST_CHAT_RATE,
    RunningBot,
    fast_flood,
    start_bot,
)
from tests.helpers.fake_bot_api import FakeBotApi

USERNAME = "mairie_numerique_bot"  # unlike any default of ours


@pytest.fixture
async def own_bot(service: ChatService, library: str) -> AsyncIterator[RunningBot]:
    async with FakeBotApi(
        bot_username=USERNAME,
        enforce_flood_limits=True,
        flood_chat_rate=FAST_CHAT_RATE,
        flood_chat_burst=FAST_CHAT_BURST,
    ) as fake:
        options = TelegramOptions(token=fake.token, api_server=fake.base_url, polling_timeout=1)
        service.config = replace(service.config, bot_username="")  # only getMe may tell it
        runtime, processed = await start_bot(library, service, options, fast_flood())
        try:
            service.config = replace(service.config, bot_username=runtime.username)  # as serve
            yield RunningBot(runtime, fake, processed)
        finally:
            await runtime.stop()


async def test_an_invitation_shows_the_link_and_the_start_message(own_bot: RunningBot) -> None:
    admin = own_bot.user(501)
    await admin.register()
    await admin.say("/equipe")
    shown = admin.texts(await admin.tap("Inviter une personne"))
    found = re.search(rf"https://t\.me/{USERNAME}\?start=(inv_[\w-]{{32}})\n(.*)", shown)
    assert found, shown
    assert found.group(2) == f"Ou envoyez ce message au bot : /start {found.group(1)}"
    guest = own_bot.user(502, name="Eli")
    assert "Bienvenue dans l’équipe" in guest.texts(await guest.say(f"/start {found.group(1)}"))
