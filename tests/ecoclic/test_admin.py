"""`ecoclic admin`: OPSN directory and referent links from the command line, on a real database."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from dialogs.context import EngineConfig
from ecoclic.admin import SAMPLE, load_opsn_file
from ecoclic.cli import main
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory
from storage.store import SqlStore
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_bot_api import FakeBotApi

BOT_USERNAME = "mairie_numerique_bot"  # what getMe answers: no default of ours looks like it


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.fixture
async def telegram(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotApi]:
    """A Bot API server on loopback whose bot has its own username, configured for the CLI."""
    async with FakeBotApi(bot_username=BOT_USERNAME) as fake:
        monkeypatch.setenv("ECOCLIC_TELEGRAM_TOKEN", fake.token)
        monkeypatch.setenv("ECOCLIC_TELEGRAM_API_SERVER", fake.base_url)
        yield fake


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


async def arun(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI runs its own event loop: from an async test, give it a thread."""
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_only_states_sourced_departements() -> None:
    data = load_opsn_file(SAMPLE)
    assert len(data.opsn) == 19
    by_slug = {e.slug: e for e in data.opsn}
    assert by_slug["adico"].departements[:2] == ("60", "02")
    for entry in data.opsn:
        if entry.departements:
            assert entry.source.startswith("http"), entry.slug
        else:
            assert "non vérifié" in entry.note, entry.slug


def test_import_refuses_bad_files_with_a_clear_message(
    tmp_path: Path, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"opsn": [{"slug": "x y", "name": "Nom", "departements": [99]}]}))
    code, _out, err = run(capsys, "admin", "opsn", "import", str(bad))
    assert code == 2
    assert "Import refusé" in err and "identifiant" in err and "département inconnu" in err
    code, out, _err = run(capsys, "admin", "opsn", "list")
    assert (code, out) == (0, "Aucun OPSN enregistré.\n")


async def test_add_list_import_and_referent_link(
    cli_db: str,
    telegram: FakeBotApi,
    capsys: pytest.CaptureFixture[str],
    referential: Referential,
) -> None:
    assert (await arun(capsys, "admin", "opsn", "import"))[0] == 0
    code, out, _ = await arun(capsys, "admin", "opsn", "import")
    assert (code, out) == (0, "Import terminé : 0 OPSN ajoutés, 19 mis à jour.\n")
    code, out, _ = await arun(
        capsys,
        "admin",
        "opsn",
        "add",
        "--name",
        "Opérateur test",
        "--slug",
        "op-test",
        "--departements",
        "60, 2a",
    )
    assert code == 0 and "60, 2A" in out
    code, _, err = await arun(
        capsys, "admin", "opsn", "add", "--name", "Autre", "--slug", "op-test"
    )
    assert code == 2 and "existe déjà" in err
    code, _, err = await arun(
        capsys,
        "admin",
        "opsn",
        "add",
        "--name",
        "Autre",
        "--slug",
        "autre",
        "--departements",
        "60,99",
    )
    assert code == 2 and "Département inconnu" in err
    code, out, _ = await arun(capsys, "admin", "opsn", "list")
    lines = out.splitlines()
    assert len(lines) == 20 and "adico\tAdico\t60,02,80,27,77,76,95,78" in lines

    code, out, _ = await arun(capsys, "admin", "referent", "invite", "--opsn", "op-test")
    link, tchap = out.splitlines()[-2:]
    assert tchap.endswith(f"/start {link.rpartition('=')[2]}")
    match = re.fullmatch(rf"https://t\.me/{BOT_USERNAME}\?start=(ref_[A-Za-z0-9_-]{{32}})", link)
    assert code == 0 and match, out
    await arun(capsys, "admin", "referent", "invite", "--opsn", "op-test")
    assert len(telegram.calls("getMe")) == 1  # asked once per process, not at every link
    code, _, err = await arun(capsys, "admin", "referent", "invite", "--opsn", "nope")
    assert code == 1 and "Aucun OPSN « nope »" in err

    engine = create_engine(cli_db)
    sessions = session_factory(engine)
    try:
        service = ChatService(SqlDatabase(sessions), referential, EngineConfig())
        referent = ChatDriver.for_user(service, "r1", "Romane")
        await referent.say(f"/start {match.group(1)}")
        assert "Vous êtes maintenant référent de Opérateur test" in referent.text()
        with sessions() as session:
            store = SqlStore(session)
            opsn = store.opsn.opsn_by_slug("op-test")
            assert opsn is not None
            assert len(store.opsn.referent_ids(opsn.id)) == 1
    finally:
        engine.dispose()
