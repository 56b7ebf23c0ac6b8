"""`ecoclic link` prints a working operator link, or a clear French error."""

from __future__ import annotations

import pytest

from ecoclic.cli import main
from ecoclic.link import make_link
from ecoclic.settings import Settings
from referential.models import Referential
from tests.helpers.web import PUBLIC_URL, build_world


async def test_link_command(
    sqlite_url: str,
    referential: Referential,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with build_world(sqlite_url, referential) as world:
        monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
        monkeypatch.setenv("ECOCLIC_PUBLIC_URL", PUBLIC_URL)

        settings = Settings()
        url, error = make_link(settings, siret="213 105 554 00017")
        assert error == "" and url.startswith(f"{PUBLIC_URL}/c/")
        dashboard, _ = make_link(settings, opsn_slug="occitan")
        assert dashboard.startswith(f"{PUBLIC_URL}/o/")
        async with world.client() as client:
            assert (await client.get(url.removeprefix(PUBLIC_URL))).status_code == 200
            assert (await client.get(dashboard.removeprefix(PUBLIC_URL))).status_code == 200
        assert make_link(settings, siret="00000000000000") == (
            "",
            "Aucune collectivité inscrite avec le SIRET « 00000000000000 ».",
        )


def test_link_command_exit_codes(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
    assert main(["link", "--opsn", "inconnu"]) == 1
    assert "Aucun OPSN avec l’identifiant « inconnu »" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["link"])  # --siret or --opsn is required
