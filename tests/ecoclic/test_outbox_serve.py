"""`ecoclic serve` delivers queued notifications: its dispatcher runs beside the bot and stops with it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from pydantic import SecretStr

from ecoclic.serve import serve
from ecoclic.settings import Settings
from referential.models import Referential
from storage import outbox
from storage.db import create_engine, session_factory
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_driver import TelegramUser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_join_request_and_decision_reach_both_people(
    tmp_path: Path, referential: Referential
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    async with FakeBotApi(
        enforce_flood_limits=True, flood_chat_rate=40, flood_chat_burst=10
    ) as fake:
        settings = Settings(
            database_url=url,
            web_port=_free_port(),
            telegram_token=SecretStr(fake.token),
            telegram_api_server=fake.base_url,
            telegram_flood_chat_rate=40,
            telegram_flood_chat_burst=10,
        )
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, referential, stop))
        try:
            await fake.wait_for(lambda: fake.polling or running.done(), 30)
            admin, newcomer = (
                TelegramUser(fake, 7001, first_name="Camille"),
                TelegramUser(fake, 7002, first_name="Eli"),
            )
            await admin.register()
            await newcomer.say("/start")
            await newcomer.tap("Inscrire ma collectivité")
            await newcomer.say("21310555400017")  # the same SIRET: a join request
            request = await fake.wait_for(
                lambda: next(
                    (m for m in admin.messages() if "demande à rejoindre" in m.text), None
                ),
                10,
            )
            await admin.tap_data(request.message_id, request.buttons[0][0][1])  # Accepter
            await fake.wait_for(
                lambda: any("Bonne nouvelle" in m.text for m in newcomer.messages()), 10
            )
        finally:
            stop.set()
            await asyncio.wait_for(running, 20)
    engine = create_engine(url)
    try:
        with session_factory(engine)() as session:
            assert outbox.counts(session) == {"sent": 2}
    finally:
        engine.dispose()
