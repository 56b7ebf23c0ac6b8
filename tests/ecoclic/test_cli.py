"""Issue 11, start-up: a command imports only what it uses.

Checked in a fresh interpreter by the modules it loaded (a behaviour, not a timing): `ecoclic --help`
and `ecoclic chat` never load the web stack, the Telegram libraries, or alembic when the schema is
already at its newest revision.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecoclic.cli import COMMANDS, build_parser, command_in

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"fastapi", "starlette", "uvicorn", "jinja2", "telegram", "aiogram", "aiohttp", "alembic"}
PROBE = """
import json, sys
from ecoclic.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --help
    code = exc.code
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def loaded_by(argv: list[str], env: dict[str, str], stdin: str = "") -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_loads_no_command_module() -> None:
    loaded = loaded_by(["--help"], dict(os.environ))
    assert not loaded & (HEAVY | {"sqlalchemy", "pydantic", "yaml"})


def test_chat_loads_neither_web_nor_telegram_nor_alembic(sqlite_url: str) -> None:
    env = {**os.environ, "ECOCLIC_DATABASE_URL": sqlite_url}  # migrated already
    loaded = loaded_by(["chat"], env, stdin="/quitter\n")
    assert "sqlalchemy" in loaded  # it did talk to the database
    assert not loaded & HEAVY


@pytest.mark.parametrize(
    ("argv", "command"),
    [(["--help"], None), (["-v", "serve"], "serve"), (["admin", "opsn", "list"], "admin")],
)
def test_the_parser_is_complete_for_the_command_named(argv: list[str], command: str) -> None:
    assert command_in(argv) == command
    parser, runners = build_parser(command)
    assert set(runners) == ({command} if command else set())
    if command == "admin":
        assert parser.parse_args(argv).opsn_command == "list"


def test_every_command_is_listed_in_the_help() -> None:
    parser, _ = build_parser(None)
    assert all(name in parser.format_help() for name in COMMANDS)


def test_chat_stops_quietly_when_its_reader_goes_away(tmp_path: Path) -> None:
    """`ecoclic chat | head -1`: no traceback when the pipe closes after the first line."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ECOCLIC_")},
        "PYTHONPATH": str(ROOT),
        "ECOCLIC_DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
    }
    chat = subprocess.Popen(
        [sys.executable, "-m", "ecoclic.cli", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert chat.stdin is not None and chat.stdout is not None and chat.stderr is not None
    first = chat.stdout.readline()
    chat.stdout.close()  # like `head -1`
    chat.stdin.write(
        b"/aide\n" * 200
    )  # far more than a pipe holds: later writes hit the closed pipe
    chat.stdin.close()
    error = chat.stderr.read().decode()
    assert chat.wait(timeout=60) == 0
    assert first.startswith(b"Bonjour") and "Traceback" not in error
