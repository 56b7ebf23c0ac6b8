"""`ecoclic serve` with Telegram and Matrix in one process: one collectivité, two channels.

The administrator registers on Matrix (Tchap); a colleague on Telegram asks to join with the same
SIRET; the request reaches the administrator on Matrix through the outbox, who accepts it by typing
the choice's number; the answer reaches the colleague on Telegram.
"""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from ecoclic.app import ConfigurationError
from ecoclic.serve import serve
from ecoclic.settings import Settings
from referential.models import Referential
from storage import outbox
from storage.db import create_engine, session_factory
from tests.bot.matrix.conftest import new_user
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.synapse import Synapse
from tests.helpers.telegram_driver import TelegramUser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_join_request_crosses_from_telegram_to_matrix_and_back(
    synapse: Synapse, tmp_path: Path, referential: Referential
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    bot = synapse.register(f"servebot{int(time.time() * 1000) % 10**8}")
    admin = await new_user(synapse, tmp_path, "admin")
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
            matrix_homeserver=synapse.url,
            matrix_user_id=bot.user_id,
            matrix_access_token=SecretStr(bot.access_token),
            matrix_device_id=bot.device_id,
            matrix_room_rate=20,
            matrix_room_burst=10,
        )
        assert settings.matrix_store_path() == tmp_path / "matrix-store"
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, referential, stop))
        try:
            await fake.wait_for(lambda: fake.polling or running.done(), 30)
            await admin.dm(bot.user_id)
            await admin.wait_joined(bot.user_id)
            await admin.say_until("/start", "Inscrire ma collectivité")
            await admin.say_until(admin.number_of("Inscrire"), "SIRET")
            await admin.say_until("21310555400017", "Intercommunalité")
            await admin.say_until("Commune", "nom")
            await admin.say_until("Commune de Test", "département")
            await admin.say_until("31", "habitants")
            await admin.say_until("1200", "Vérifiez")
            await admin.say_until(admin.number_of("Enregistrer"), "est enregistrée")

            newcomer = TelegramUser(fake, 7002, first_name="Eli")
            await newcomer.say("/start")
            await newcomer.tap("Inscrire ma collectivité")
            await newcomer.say("21310555400017")  # the same SIRET: a join request
            await admin.say_until("", "demande à rejoindre")
            await admin.say_until(admin.number_of("Accepter"), "")
            await fake.wait_for(
                lambda: any("Bonne nouvelle" in m.text for m in newcomer.messages()), 15
            )
        finally:
            stop.set()
            await asyncio.wait_for(running, 30)
            await admin.close()
    assert (tmp_path / "matrix-store").is_dir(), "the key store is created under the data folder"
    engine = create_engine(url)
    try:
        with session_factory(engine)() as session:
            assert outbox.counts(session) == {"sent": 2}
            assert outbox.counts(session, "matrix") == {"sent": 1}
    finally:
        engine.dispose()


async def test_matrix_alone(synapse: Synapse, tmp_path: Path, referential: Referential) -> None:
    bot = synapse.register(f"alone{int(time.time() * 1000) % 10**8}")
    person = await new_user(synapse, tmp_path, "seule")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'alone.sqlite3'}",
        web_port=_free_port(),
        matrix_homeserver=synapse.url,
        matrix_user_id=bot.user_id,
        matrix_access_token=SecretStr(bot.access_token),
        matrix_device_id=bot.device_id,
        matrix_store=tmp_path / "keys",
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, referential, stop))
    try:
        await person.dm(bot.user_id)
        await person.wait_joined(bot.user_id, timeout=30)
        await person.say_until("/start", "Inscrire ma collectivité")
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        await person.close()
    assert (tmp_path / "keys" / "sync-token").exists()


async def test_a_refused_token_is_a_configuration_error(
    synapse: Synapse, tmp_path: Path, referential: Referential
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'refused.sqlite3'}",
        web_port=_free_port(),
        matrix_homeserver=synapse.url,
        matrix_user_id="@nobody:localhost",
        matrix_access_token=SecretStr("syt_not_a_token"),
        matrix_device_id="NODEVICE",
        matrix_store=tmp_path / "keys",
    )
    with pytest.raises(ConfigurationError, match="ECOCLIC_MATRIX_HOMESERVER"):
        await asyncio.wait_for(serve(settings, referential), 30)
