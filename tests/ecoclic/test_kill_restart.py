"""kill -9 after a tap, restart: no tap lost, no reply missing, no reply twice.

`ecoclic serve` runs as a real subprocess, long-polling the fake Bot API of this process. A user
answers questions one tap at a time; a random few milliseconds to a third of a second after each
tap the process is killed with SIGKILL and started again. Whatever the moment of the kill (before
the update was stored, while it was handled, between commit and sending, after sending), the tap
must take effect once and its reply (the next question) must arrive — once, but for a kill in the
narrow window described below.

`ECOCLIC_KILL_RUNS` sets the number of kills per library (default 4 for CI; the closing note of
the trust issue quotes a larger run made with this same test, with `-s` to see its counts).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from referential.models import Referential
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram_driver import TelegramUser

KILLS = int(os.environ.get("ECOCLIC_KILL_RUNS", "4"))
USER = 4001


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(flood_chat_rate=50, flood_chat_burst=20) as server:
        yield server


class Serve:
    """The `ecoclic serve` subprocess, killed and started again at will."""

    def __init__(self, fake: FakeBotApi, tmp_path: Path, library: str) -> None:
        self.fake = fake
        self.tmp_path = tmp_path
        self.database = tmp_path / "kill.sqlite3"
        self.env = {
            **os.environ,
            "ECOCLIC_TELEGRAM_TOKEN": fake.token,
            "ECOCLIC_TELEGRAM_API_SERVER": fake.base_url,
            "ECOCLIC_TELEGRAM_LIBRARY": library,
            "ECOCLIC_DATABASE_URL": f"sqlite:///{self.database}",
            "ECOCLIC_WEB_PORT": "0",
            "ECOCLIC_TELEGRAM_FLOOD_CHAT_RATE": "50",
            "ECOCLIC_TELEGRAM_FLOOD_CHAT_BURST": "20",
        }
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        log = (self.tmp_path / f"serve-{self.starts}.log").open("wb")
        self.starts += 1
        started = len(self.fake.calls("getMe"))
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ecoclic.cli", "serve",
            cwd=self.tmp_path, env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        process = self.process

        def up() -> bool:  # getMe answered, then a getUpdates after it (polling has begun)
            return process.returncode is not None or (
                len(self.fake.calls("getMe")) > started and bool(self.fake.calls("getUpdates"))
            )

        await self.fake.wait_for(up, 60)
        assert process.returncode is None, self.log()

    async def kill(self) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 20)

    def log(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("serve-*.log")))

    def answers(self) -> int:
        with sqlite3.connect(self.database) as db:
            return int(db.execute("SELECT count(*) FROM answers").fetchone()[0])


def _asked(user: TelegramUser, referential: Referential) -> dict[str, int]:
    """How many bot messages show each level-1 question (a reply sent twice shows one twice)."""
    texts = [m.text for m in user.messages()]
    return {q.id: sum(q.text in text for text in texts) for q in referential.level_questions(1)}


@pytest.mark.parametrize("library", ["ptb", "aiogram"])
async def test_no_tap_or_reply_is_lost_or_doubled_across_kills(
    fake: FakeBotApi, tmp_path: Path, referential: Referential, library: str
) -> None:
    serve = Serve(fake, tmp_path, library)
    user = TelegramUser(fake, USER, until_keyboard=True)
    chance = random.Random(f"kill-{library}")
    await serve.start()
    try:
        await user.register()
        for run in range(KILLS):
            found = user.question()
            assert found is not None, user.texts()[-1500:]
            message, qid = found
            before = len(user.messages())
            question = referential.question(qid)
            value = question.options[0].id if question.options else "oui"
            await fake.press(USER, message.message_id, f"a:{qid}:{value}")
            await asyncio.sleep(chance.uniform(0.0, 0.3))
            await serve.kill()
            await serve.start()

            def replied(qid: str = qid, before: int = before) -> bool:
                now_on_screen = user.question()
                return (
                    len(user.messages()) > before
                    and now_on_screen is not None
                    and now_on_screen[1] != qid
                )

            try:
                await fake.wait_for(replied, 30)
            except TimeoutError:
                pytest.fail(f"run {run}: no reply to the tap on {qid}\n{serve.log()[-3000:]}")
        assert serve.answers() == KILLS, "every tap took effect exactly once"
        asked = _asked(user, referential)
        assert sum(n >= 1 for n in asked.values()) == KILLS + 1, "each reply arrived"
        # A kill in the millisecond between Telegram accepting a message and the commit that marks
        # it sent makes it go out once more after the restart (the Bot API has no idempotency key):
        # rare, counted, and bounded here; never a lost tap nor a missing reply.
        doubled = {qid: n for qid, n in asked.items() if n > 1}
        print(f"{library}: {KILLS} kills, 0 taps lost, {len(doubled)} replies doubled")
        assert sum(n - 1 for n in doubled.values()) <= max(1, KILLS // 4), serve.log()[-6000:]
    finally:
        await serve.stop()
