"""The Matrix settings: all four or none, and where the encryption keys are kept by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecoclic.settings import Settings


def test_the_channel_needs_all_four_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().matrix_missing() == [] and not Settings().matrix_enabled
    monkeypatch.setenv("ECOCLIC_MATRIX_HOMESERVER", "http://127.0.0.1:8008/")
    monkeypatch.setenv("ECOCLIC_MATRIX_USER_ID", "@ecoclic:localhost")
    partial = Settings()
    assert partial.matrix_missing() == ["ECOCLIC_MATRIX_ACCESS_TOKEN", "ECOCLIC_MATRIX_DEVICE_ID"]
    assert not partial.matrix_enabled
    monkeypatch.setenv("ECOCLIC_MATRIX_ACCESS_TOKEN", "syt_token")
    monkeypatch.setenv("ECOCLIC_MATRIX_DEVICE_ID", "DEVICE")
    full = Settings()
    assert full.matrix_enabled and full.matrix_homeserver == "http://127.0.0.1:8008"
    assert (full.matrix_room_rate, full.matrix_global_rate) == (1.0, 10)  # Tchap's guidance


def test_the_key_store_defaults_beside_the_database(tmp_path: Path) -> None:
    beside = Settings(database_url=f"sqlite:///{tmp_path / 'data' / 'db.sqlite3'}")
    assert beside.matrix_store_path() == tmp_path / "data" / "matrix-store"
    assert Settings(database_url="postgresql+psycopg://x/y").matrix_store_path() == Path(
        "matrix-store"
    )
    chosen = Settings(matrix_store=tmp_path / "keys")
    assert chosen.matrix_store_path() == tmp_path / "keys"


def test_serve_refuses_partial_matrix_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from ecoclic.cli import main

    monkeypatch.setenv("ECOCLIC_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("ECOCLIC_MATRIX_HOMESERVER", "http://127.0.0.1:8008")
    assert main(["serve"]) == 2
    assert "ECOCLIC_MATRIX_ACCESS_TOKEN" in capsys.readouterr().err
