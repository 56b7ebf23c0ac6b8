"""`ecoclic admin gdpr export|erase` and the retention sweep of `ecoclic.maintenance`, on SQLite."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.context import EngineConfig
from ecoclic.cli import main
from ecoclic.maintenance import MONTH, retention
from ecoclic.service import ChatService
from ecoclic.settings import Settings
from referential.models import Referential
from storage.database import SqlDatabase
from storage.models import Membership, OutboxMessage, User
from tests.dialogs.team.steps import Clock, invite
from tests.helpers.chat import ChatDriver


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(
    sessions: sessionmaker[Session], referential: Referential, clock: Clock
) -> Iterator[ChatService]:
    service = ChatService(
        SqlDatabase(sessions), referential, EngineConfig(bot_username="ecoclic_test_bot"), clock
    )
    yield service
    service.close()


async def team(svc: ChatService) -> tuple[ChatDriver, ChatDriver]:
    admin = ChatDriver.for_user(svc, "a1", "Alix")
    await admin.register()
    camille = ChatDriver.for_user(svc, "c1", "Camille")
    await camille.say("/start " + await invite(admin))
    return admin, camille


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def users(sessions: sessionmaker[Session]) -> dict[int, tuple[str, str, str]]:
    with sessions() as s:
        return {u.id: (u.channel, u.external_id, u.display_name) for u in s.scalars(select(User))}


async def test_export_and_erase_a_person(
    svc: ChatService,
    cli_db: str,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    await team(svc)
    code, out, _ = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "export", "--user", "test:c1"
    )
    doc = json.loads(out)
    assert code == 0 and doc["scope"] == "me" and doc["account"][0]["display_name"] == "Camille"
    target = tmp_path / "col.json"
    code, out, _ = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "export", "--siret", "21310555400017", "--output", str(target)
    )
    assert code == 0 and "Export écrit" in out
    assert [p["display_name"] for p in json.loads(target.read_text())["people"]] == [
        "Alix",
        "Camille",
    ]
    code, _, err = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--user", "test:c1"
    )
    assert code == 2 and "--yes" in err
    code, _, err = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--user", "nobody", "--yes"
    )
    assert code == 2 and "CANAL:IDENTIFIANT" in err
    code, _, err = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "export", "--user", "test:zz"
    )
    assert code == 1 and "inconnue" in err
    # The last administrator: the member who joined first takes over, and is told.
    code, out, _ = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--user", "test:a1", "--yes"
    )
    assert code == 0 and "Nouvel administrateur" in out
    assert ("erased", "1", "") in users(sessions).values()
    with sessions() as s:
        assert [(m.user_id, m.role) for m in s.scalars(select(Membership))] == [(2, "admin")]
        keys = [m.key for m in s.scalars(select(OutboxMessage))]
    assert any(k.startswith("made-admin:") for k in keys)
    code, _, err = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--user", "test:a1", "--yes"
    )
    assert code == 1  # already erased: unknown


async def test_issue16_erasing_the_last_admin_of_two_collectivites_hands_both_over(
    svc: ChatService,
    cli_db: str,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The last-administrator rule applies in each collectivité of the person erased."""
    admin, _camille = await team(svc)  # Alix administers Commune de Test, Camille is a member
    await admin.say("/collectivite")
    await admin.press("Autre collectivité")
    await admin.say("21310000100014")
    await admin.press("Commune")
    await admin.say("Commune du Mont")
    await admin.say("31")
    await admin.say("800")
    await admin.press("Enregistrer")
    dominique = ChatDriver.for_user(svc, "d1", "Dominique")
    await dominique.say("/start " + await invite(admin))  # invited to the Mont, now active
    code, out, _ = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "export", "--user", "test:a1"
    )
    assert code == 0 and len(json.loads(out)["memberships"]) == 2
    code, out, _ = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--user", "test:a1", "--yes"
    )
    assert code == 0
    assert "Nouvel administrateur de Commune de Test" in out
    assert "Nouvel administrateur de Commune du Mont" in out
    with sessions() as s:
        roles = sorted(
            (m.collectivite_id, m.user_id, m.role) for m in s.scalars(select(Membership))
        )
    assert roles == [(1, 2, "admin"), (2, 3, "admin")]


async def test_erase_a_collectivite(
    svc: ChatService,
    cli_db: str,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
) -> None:
    await team(svc)
    code, out, _ = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--siret", "21310555400017", "--yes"
    )
    assert code == 0 and "2 personne(s) prévenue(s)" in out
    with sessions() as s:
        assert s.scalars(select(Membership)).all() == []
        keys = sorted(
            m.key
            for m in s.scalars(select(OutboxMessage))
            if m.key.startswith("collectivite-deleted")
        )
    assert keys == ["collectivite-deleted:1:1", "collectivite-deleted:1:2"]
    code, _, err = await asyncio.to_thread(
        cli, capsys, "admin", "gdpr", "erase", "--siret", "21310555400017", "--yes"
    )
    assert code == 1 and "Aucune collectivité" in err


async def test_retention_warns_then_erases_the_silent(
    svc: ChatService, sessions: sessionmaker[Session], clock: Clock
) -> None:
    admin, _camille = await team(svc)
    settings = Settings(retention_months=24)
    start = clock.now
    # Alix keeps writing; Camille stays silent.
    clock.now = start + MONTH * 22
    await admin.say("/aide")
    assert retention(sessions, settings, start + MONTH * 22) == (0, 0)
    warn_at = start + MONTH * 23 + timedelta(days=1)
    assert retention(sessions, settings, warn_at) == (1, 0)
    assert retention(sessions, settings, warn_at + timedelta(hours=1)) == (0, 0)  # warned once
    with sessions() as s:
        (warning,) = [
            m for m in s.scalars(select(OutboxMessage)) if m.key.startswith("retention-warning:2:")
        ]
    assert "seront effacées le" in warning.payload["text"] and "/aide" in warning.payload["text"]
    # Not before the month of notice has passed.
    assert retention(sessions, settings, warn_at + timedelta(days=29)) == (0, 0)
    assert retention(sessions, settings, warn_at + timedelta(days=31)) == (0, 1)
    assert users(sessions)[2] == ("erased", "2", "")
    assert users(sessions)[1] == ("test", "a1", "Alix")
    with sessions() as s:
        assert [(m.user_id, m.role) for m in s.scalars(select(Membership))] == [(1, "admin")]


async def test_writing_after_the_warning_keeps_the_account(
    svc: ChatService, sessions: sessionmaker[Session], clock: Clock
) -> None:
    _admin, camille = await team(svc)
    settings = Settings(retention_months=24)
    warn_at = clock.now + MONTH * 23 + timedelta(days=1)
    assert retention(sessions, settings, warn_at)[0] == 2  # both silent
    clock.now = warn_at + timedelta(days=3)
    await camille.say("/aide")
    erased = retention(sessions, settings, warn_at + timedelta(days=31))
    assert erased == (0, 1)  # Alix only; Camille wrote after her warning
    assert users(sessions)[2] == ("test", "c1", "Camille")
    assert users(sessions)[1][0] == "erased"
    with sessions() as s:  # the team kept an administrator
        assert [(m.user_id, m.role) for m in s.scalars(select(Membership))] == [(2, "admin")]


def test_retention_setting() -> None:
    assert Settings().retention_months == 24
    with pytest.raises(ValueError):
        Settings(retention_months=1)


async def test_retention_works_in_batches(
    svc: ChatService, sessions: sessionmaker[Session], clock: Clock
) -> None:
    await team(svc)
    settings = Settings(retention_months=24)
    warn_at = clock.now + MONTH * 23 + timedelta(days=1)
    assert retention(sessions, settings, warn_at, batch=1) == (1, 0)
    assert retention(sessions, settings, warn_at, batch=1) == (1, 0)
    assert retention(sessions, settings, warn_at, batch=1) == (0, 0)
    later = warn_at + timedelta(days=31)
    assert retention(sessions, settings, later, batch=1) == (0, 1)
    assert retention(sessions, settings, later, batch=5) == (0, 1)
    assert {u[0] for u in users(sessions).values()} == {"erased"}
