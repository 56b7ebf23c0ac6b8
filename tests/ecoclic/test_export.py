"""`ecoclic export` writes the plan and the roadmap of a collectivité, or says clearly why not."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pypdf
import pytest

from ecoclic.cli import main
from referential.models import Referential
from tests.helpers.web import build_world


@pytest.fixture
def world_url(sqlite_url: str, referential: Referential, monkeypatch: pytest.MonkeyPatch) -> str:
    with build_world(sqlite_url, referential):
        pass
    monkeypatch.setenv("ECOCLIC_DATABASE_URL", sqlite_url)
    return sqlite_url


def test_export_writes_each_format(
    world_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind, fmt in (("plan", "csv"), ("plan", "ods"), ("roadmap", "pdf")):
        out = tmp_path / f"doc.{fmt}"
        code = main(
            ["export", kind, "--siret", "213 105 554 00017", "--format", fmt, "--output", str(out)]
        )
        assert code == 0 and out.stat().st_size > 0
        assert str(out) in capsys.readouterr().out
    rows = list(
        csv.reader(io.StringIO((tmp_path / "doc.csv").read_text("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:2] == ["N°", "Action"] and len(rows) > 1
    assert {r[10] for r in rows[1:]} == {"Commune de Beauvoir"}
    with zipfile.ZipFile(tmp_path / "doc.ods") as archive:
        assert b"Commune de Beauvoir" in archive.read("content.xml")
    reader = pypdf.PdfReader(tmp_path / "doc.pdf")
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Commune de Beauvoir" in text and "Dominique" in text
    assert (tmp_path / "doc.pdf").stat().st_size <= 300_000


def test_export_refuses_an_unknown_siret_and_an_unwritable_file(
    world_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    assert (
        main(
            ["export", "plan", "--siret", "00000000000000", "--format", "csv", "--output", str(out)]
        )
        == 1
    )
    assert (
        "Aucune collectivité inscrite avec le SIRET « 00000000000000 »" in capsys.readouterr().err
    )
    assert not out.exists()
    missing = tmp_path / "nowhere" / "x.pdf"
    assert (
        main(
            [
                "export",
                "roadmap",
                "--siret",
                "21310555400017",
                "--format",
                "pdf",
                "--output",
                str(missing),
            ]
        )
        == 1
    )
    assert "Impossible d’écrire" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "plan", "--siret", "21310555400017", "--format", "docx", "--output", "x"])
