"""`ecoclic reminders tick` as an operator runs it (in-process, and once as a real subprocess, on a
real database), and the scheduler loop `ecoclic serve` starts."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from ecoclic import serve
from ecoclic.cli import main
from ecoclic.reminders import run_forever
from ecoclic.settings import Settings
from referential.models import Referential
from storage.db import create_engine, session_factory, upgrade
from storage.models import OutboxMessage
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import Clock, item_id, paris, service_with


async def plan_with_due_date(sessions: Any, referential: Referential) -> None:
    """Alice carries one action due on Monday 7 December 2026 (set on Monday 23 November)."""
    alice = ChatDriver.for_user(
        service_with(sessions, referential, Clock(paris(2026, 11, 23, 10))), "alice", "Alice"
    )
    await alice.register()
    await alice.tap("a:GOV-01:non")
    item = item_id(sessions, "GOV-01")
    await alice.tap(f"p:a:{item}")
    await alice.press("Alice")
    await alice.tap(f"p:dd:{item}:t")
    await alice.say("07/12/2026")


def operator_run(url: str, *args: str) -> tuple[int, str, str]:
    """`python -m ecoclic.cli …` in a separate process, as cron would start it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOCLIC_")}
    env["ECOCLIC_DATABASE_URL"] = url
    done = subprocess.run(
        [sys.executable, "-m", "ecoclic.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


async def prepare(url: str, referential: Referential) -> None:
    upgrade(url)
    engine = create_engine(url)
    try:
        await plan_with_due_date(session_factory(engine), referential)
    finally:
        engine.dispose()


def outbox_keys(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with session_factory(engine)() as session:
            return sorted(session.scalars(select(OutboxMessage.key)))
    finally:
        engine.dispose()


def test_tick_queues_what_is_due_once_and_respects_quiet_hours(
    tmp_path: Path,
    referential: Referential,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3"
    asyncio.run(prepare(url, referential))
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", url)

    def tick(at: str) -> tuple[int, str, str]:
        code = main(["reminders", "tick", "--at", at])
        captured = capsys.readouterr()
        return code, captured.out.strip(), captured.err

    assert tick("2026-11-29T10:00:00+01:00")[:2] == (0, "Aucun rappel à mettre en file d’envoi.")
    code, out, err = operator_run(url, "reminders", "tick", "--at", "2026-11-30T09:00:00+01:00")
    assert (code, out.strip()) == (0, "2 rappels mis en file d’envoi."), err  # J-7 and digest
    assert tick("2026-11-30T09:30:00")[:2] == (0, "Aucun rappel à mettre en file d’envoi.")
    assert [k.split(":")[0] for k in outbox_keys(url)] == ["digest", "due"]
    code, _out, err = tick("lundi matin")
    assert code == 2 and "Instant invalide" in err and "Traceback" not in err


async def test_serve_runs_the_scheduler_loop(sessions: Any, referential: Referential) -> None:
    assert run_forever in serve.BACKGROUND_TASKS
    await plan_with_due_date(sessions, referential)
    ctx = SimpleNamespace(
        settings=SimpleNamespace(timezone="Europe/Paris", default_locale="fr"),
        sessions=sessions,
        referential=referential,
        stopping=asyncio.Event(),
    )
    clock = Clock(paris(2026, 12, 6, 12))  # Sunday: nothing may go out

    def keys() -> list[str]:
        with sessions() as session:
            return list(session.scalars(select(OutboxMessage.key)))

    loop = asyncio.create_task(run_forever(ctx, clock, interval=0.02))  # type: ignore[arg-type]
    await asyncio.sleep(0.2)
    assert keys() == []
    clock.now = paris(2026, 12, 7, 8, 5)  # Monday morning: J-1 moved from Sunday
    for _ in range(200):
        if keys():
            break
        await asyncio.sleep(0.02)
    ctx.stopping.set()
    await asyncio.wait_for(loop, 5)
    assert [k.split(":")[3] for k in keys()] == ["j1"]


def test_an_unknown_timezone_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="fuseau horaire inconnu"):
        Settings(timezone="Mars/Olympus")
    assert Settings(timezone="America/Cayenne").timezone == "America/Cayenne"
