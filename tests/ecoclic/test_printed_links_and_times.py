"""Issue 17: links and times the command line prints. The bot's username comes from getMe (fake Bot
API on loopback, a username no default of ours has), or the `/start CODE` message stands alone with
a note; times are Paris wall-clock times, across both daylight-saving changes."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialogs.opsn.platform import REFERENT_VALIDITY
from dialogs.records import InvitationKind
from ecoclic import admin
from ecoclic.local_time import local_datetime
from referential.models import Referential
from storage.db import create_engine, session_factory
from storage.store import SqlStore
from tests.ecoclic.test_admin import arun, run
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.web import PUBLIC_URL, build_world

USERNAME = "conseil_sobriete_bot"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.fixture
async def telegram(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(bot_username=USERNAME) as fake:
        monkeypatch.setenv("ECOCLIC_TELEGRAM_TOKEN", fake.token)
        monkeypatch.setenv("ECOCLIC_TELEGRAM_API_SERVER", fake.base_url)
        yield fake


def add_opsn(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "admin", "opsn", "add", "--name", "Numérique 31", "--slug", "n31")
    assert code == 0


@pytest.mark.parametrize(
    ("moment", "printed"),
    [
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "25 octobre 2026 à 01:30"),  # summer, +2
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 octobre 2026 à 02:30"),  # last summer hour
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 octobre 2026 à 02:30"),  # winter again, +1
        (datetime(2026, 10, 25, 12, 0, tzinfo=UTC), "25 octobre 2026 à 13:00"),
        (datetime(2027, 3, 28, 0, 59, tzinfo=UTC), "28 mars 2027 à 01:59"),  # winter, +1
        (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), "28 mars 2027 à 03:00"),  # 02:00 never happens
        (datetime(2027, 3, 1, 8, 0, tzinfo=UTC), "1er mars 2027 à 09:00"),
        (datetime(2027, 3, 1, 8, 0), "1er mars 2027 à 09:00"),  # naive: stored UTC
    ],
)
def test_times_are_paris_wall_clock_times(moment: datetime, printed: str) -> None:
    assert local_datetime(moment) == printed


@pytest.mark.parametrize(
    ("now", "printed"),
    [
        # Invited on 20 October in summer time; the link expires on 27 October in winter time.
        (datetime(2026, 10, 20, 9, 15, tzinfo=UTC), "27 octobre 2026 à 10:15"),
        # Invited on 23 March in winter time; it expires on 30 March in summer time.
        (datetime(2027, 3, 23, 9, 15, tzinfo=UTC), "30 mars 2027 à 11:15"),
    ],
)
async def test_referent_invitation_expiry_is_printed_in_paris_time(
    cli_db: str,
    telegram: FakeBotApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    now: datetime,
    printed: str,
) -> None:
    add_opsn(capsys)
    monkeypatch.setattr(admin, "utc_now", lambda: now)
    code, out, err = await arun(capsys, "admin", "referent", "invite", "--opsn", "n31")
    assert code == 0 and err == ""
    assert f"valable jusqu’au {printed} :" in out and "UTC" not in out
    engine = create_engine(cli_db)
    try:
        with session_factory(engine)() as session:
            payload = re.findall(r"start=ref_([A-Za-z0-9_-]+)", out)[0]
            invitation = SqlStore(session).people.invitation(payload)
            assert invitation is not None and invitation.kind == InvitationKind.REFERENT
            assert invitation.expires_at.replace(tzinfo=UTC) == now + REFERENT_VALIDITY
    finally:
        engine.dispose()


async def test_referent_link_uses_the_username_getme_gives(
    cli_db: str, telegram: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    add_opsn(capsys)
    code, out, _ = await arun(capsys, "admin", "referent", "invite", "--opsn", "n31")
    link, start = out.splitlines()[-2:]
    assert code == 0 and re.fullmatch(rf"https://t\.me/{USERNAME}\?start=ref_[\w-]{{32}}", link)
    assert start.endswith("/start " + link.partition("?start=")[2])
    assert "ecoclic_bot" not in out and "ecoclic_test_bot" not in out


def test_without_a_token_no_guessed_link(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    add_opsn(capsys)
    code, out, err = run(capsys, "admin", "referent", "invite", "--opsn", "n31")
    assert code == 0 and "t.me" not in out
    assert "Nom d’utilisateur du bot Telegram inconnu" in err
    assert re.search(r"envoyez ce message au bot : /start ref_[\w-]{32}$", out.strip())


async def test_when_getme_fails_no_guessed_link(
    cli_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with FakeBotApi(bot_username=USERNAME) as fake:
        monkeypatch.setenv("ECOCLIC_TELEGRAM_TOKEN", "999:not-this-bot")  # getMe: 401
        monkeypatch.setenv("ECOCLIC_TELEGRAM_API_SERVER", fake.base_url)
        add_opsn(capsys)
        code, out, err = await arun(capsys, "admin", "referent", "invite", "--opsn", "n31")
    assert code == 0 and "t.me" not in out and "getMe" in err
    assert "/start ref_" in out


async def test_ecoclic_link_says_until_when_in_paris_time(
    sqlite_url: str,
    referential: Referential,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with build_world(sqlite_url, referential):
        monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
        monkeypatch.setenv("ECOCLIC_PUBLIC_URL", PUBLIC_URL)
        before = datetime.now(UTC)
        code, out, err = run(capsys, "link", "--opsn", "occitan")
        after = datetime.now(UTC)
    assert code == 0 and out.startswith(f"{PUBLIC_URL}/o/") and len(out.splitlines()) == 1
    expected = {local_datetime(moment + timedelta(hours=24)) for moment in (before, after)}
    assert err.strip() in {f"Valable jusqu’au {text}." for text in expected}


REGISTRATION = ["1", "20004697700001", "2", "CC du Test", "01", "1200", "1"]


def chat_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOCLIC_")}
    env["ECOCLIC_DATABASE_URL"] = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    return {**env, **settings, "PYTHONPATH": str(ROOT)}


def invite_in_chat(env: dict[str, str], cwd: Path) -> str:
    """`ecoclic chat`: register, then /equipe → « Inviter une personne »; the output."""
    done = subprocess.run(
        [sys.executable, "-m", "ecoclic.cli", "chat"],
        input="\n".join([*REGISTRATION, "/equipe", "Inviter une personne"]) + "\n",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_ecoclic_chat_invitation_link_has_the_getme_username(
    telegram: FakeBotApi, tmp_path: Path
) -> None:
    env = chat_env(
        tmp_path,
        ECOCLIC_TELEGRAM_TOKEN=telegram.token,
        ECOCLIC_TELEGRAM_API_SERVER=telegram.base_url,
    )
    out = await asyncio.to_thread(invite_in_chat, env, tmp_path)
    found = re.search(rf"https://t\.me/{USERNAME}\?start=(inv_[\w-]+)\n(.*)", out)
    assert found, out
    assert found.group(2) == f"Ou envoyez ce message au bot : /start {found.group(1)}"
    assert len(telegram.calls("getMe")) == 1


def test_ecoclic_chat_without_a_bot_gives_the_start_message_only(tmp_path: Path) -> None:
    out = invite_in_chat(chat_env(tmp_path), tmp_path)
    assert "t.me" not in out
    assert re.search(r"Envoyez ce message au bot Éco-clic : /start inv_[\w-]{32}", out), out
