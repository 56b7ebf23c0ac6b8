"""`ecoclic serve` as a real subprocess, its Telegram bot pointed at a fake Bot API on loopback.

With either library, a whole questionnaire goes through: the subprocess long-polls the fake started
here, answers over HTTP, and stops cleanly on SIGTERM. In webhook mode the fake POSTs updates to
`/telegram/webhook` of the subprocess's web app (secret header checked), for a shorter exchange.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from referential.models import Referential
from referential.scoring import score
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_driver import TelegramUser

CHAT_RATE, CHAT_BURST = 40, 10  # faster than Telegram, on both sides, to keep the test short


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(
        enforce_flood_limits=True, flood_chat_rate=CHAT_RATE, flood_chat_burst=CHAT_BURST
    ) as server:
        yield server


async def _start(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    log = (tmp_path / "serve.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ecoclic.cli",
        "serve",
        cwd=tmp_path,
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
    )


@pytest.mark.parametrize(
    ("library", "mode"), [("ptb", "polling"), ("aiogram", "polling"), ("ptb", "webhook")]
)
async def test_serve_runs_a_whole_questionnaire(
    fake: FakeBotApi, tmp_path: Path, referential: Referential, library: str, mode: str
) -> None:
    port = _free_port()
    env = {
        "ECOCLIC_TELEGRAM_TOKEN": fake.token,
        "ECOCLIC_TELEGRAM_API_SERVER": fake.base_url,
        "ECOCLIC_TELEGRAM_LIBRARY": library,
        "ECOCLIC_TELEGRAM_MODE": mode,
        "ECOCLIC_WEBHOOK_SECRET": "serve-test-secret",
        "ECOCLIC_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ECOCLIC_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ECOCLIC_WEB_PORT": str(port),
        "ECOCLIC_TELEGRAM_FLOOD_CHAT_RATE": str(CHAT_RATE),
        "ECOCLIC_TELEGRAM_FLOOD_CHAT_BURST": str(CHAT_BURST),
    }
    process = await _start(tmp_path, env)
    try:

        def ready() -> bool:  # a long poll is waiting, or the webhook is set
            started = fake.polling if mode == "polling" else bool(fake.calls("setWebhook"))
            return started or process.returncode is not None

        await fake.wait_for(ready, 40)
        assert process.returncode is None, (tmp_path / "serve.log").read_text()
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert len(fake.calls("setMyCommands")) == 3

        user = TelegramUser(fake, 3001, until_keyboard=True)
        await user.register()
        expected: dict[str, str] = {}
        if mode == "webhook":  # the polling runs go all the way; here the wiring is the point
            await user.answer("oui")
            assert fake.deliveries() and all(d.ok for d in fake.deliveries())
            assert "Votre réponse : Oui" in user.texts()
            return
        while (found := user.question()) is not None:
            _message, qid = found
            question = referential.question(qid)
            value = question.options[0].id if question.options else "oui"
            await user.answer(value)
            expected[qid] = value
        assert len(expected) == len(referential.level_questions(1))
        final = user.messages()[-1].text
        engine = score(referential, expected)
        assert f"Indice de maturité : {engine.index}/100 · lettre {engine.grade}" in final
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 20)
    assert code == 0, (tmp_path / "serve.log").read_text()


def closed_services(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The chat services `serve` closes (their worker threads let events in progress finish)."""
    from ecoclic.service import ChatService

    closed: list[object] = []
    close = ChatService.close

    def recorded(self: ChatService) -> None:
        closed.append(self)
        close(self)

    monkeypatch.setattr(ChatService, "close", recorded)
    return closed


async def test_without_a_token_only_the_web_app_runs(
    tmp_path: Path, referential: Referential, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecoclic.serve import serve
    from ecoclic.settings import Settings

    closed = closed_services(monkeypatch)

    port = _free_port()
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}", web_port=port)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, referential, stop))
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                health = await client.get(f"http://127.0.0.1:{port}/health")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
    assert health.status_code == 200
    assert closed == []
    stop.set()
    await asyncio.wait_for(running, 10)
    assert len(closed) == 1


async def test_a_refused_token_is_a_clear_configuration_error(
    fake: FakeBotApi, tmp_path: Path, referential: Referential, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import SecretStr

    from ecoclic.app import ConfigurationError
    from ecoclic.serve import serve
    from ecoclic.settings import Settings

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bad.sqlite3'}",
        web_port=_free_port(),
        telegram_token=SecretStr("999:not-the-right-token"),
        telegram_api_server=fake.base_url,
    )
    closed = closed_services(monkeypatch)
    with pytest.raises(ConfigurationError, match="refuse"):
        await asyncio.wait_for(serve(settings, referential), 20)
    assert len(closed) == 1  # closed on the way out, too


def test_webhook_mode_needs_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from ecoclic.cli import main

    monkeypatch.setenv("ECOCLIC_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("ECOCLIC_TELEGRAM_MODE", "webhook")
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert main(["serve"]) == 2
    assert "ECOCLIC_WEBHOOK_SECRET" in capsys.readouterr().err


async def test_serve_links_name_the_bot_as_getme_does(tmp_path: Path) -> None:
    """Issue 17: no username setting; the one in invitation links is the one getMe gave."""
    async with FakeBotApi(
        bot_username="mairie_numerique_bot",
        enforce_flood_limits=True,
        flood_chat_rate=CHAT_RATE,
        flood_chat_burst=CHAT_BURST,
    ) as fake:
        port = _free_port()
        env = {
            "ECOCLIC_TELEGRAM_TOKEN": fake.token,
            "ECOCLIC_TELEGRAM_API_SERVER": fake.base_url,
            "ECOCLIC_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
            "ECOCLIC_WEB_PORT": str(port),
            "ECOCLIC_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "ECOCLIC_TELEGRAM_FLOOD_CHAT_RATE": str(CHAT_RATE),
            "ECOCLIC_TELEGRAM_FLOOD_CHAT_BURST": str(CHAT_BURST),
        }
        process = await _start(tmp_path, env)
        try:
            await fake.wait_for(lambda: fake.polling or process.returncode is not None, 40)
            assert process.returncode is None, (tmp_path / "serve.log").read_text()
            user = TelegramUser(fake, 3002, until_keyboard=True)
            await user.register()
            await user.say("/equipe")
            user.until_keyboard = False  # the link comes without buttons: wait for it
            await user.tap("Inviter une personne")

            def link_shown() -> str | None:
                return text if "/start inv_" in (text := user.texts()) else None

            shown = await fake.wait_for(link_shown)
            assert "https://t.me/mairie_numerique_bot?start=inv_" in shown, shown
            assert "Ou envoyez ce message au bot : /start inv_" in shown
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 20)
    assert code == 0, (tmp_path / "serve.log").read_text()
