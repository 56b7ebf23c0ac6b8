"""`referential check|export`, through `python -m referential`, `ecoclic` and `add_parser`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from referential import cli
from tests.helpers.referential_factory import GOV_FILE, valid_spec, write_referential


def test_check_valid_prints_counts_per_theme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["check", "--path", str(write_referential(tmp_path))])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert "GOV Gouvernance — niveau 1 : 3 questions" in lines[0]
    assert "SEN Sensibilisation — niveau 1 : 3 questions" in lines[1]
    assert "APL Pour aller plus loin — niveau 2 (verrouillé) : 0 question" in lines[2]
    assert lines[-1] == (
        "Référentiel 1.0.0 du 2026-11-23 valide : 6 questions de niveau 1 dans 2 thèmes, "
        "3 termes de glossaire."
    )


def test_check_broken_lists_every_error_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = valid_spec()
    spec[GOV_FILE]["questions"][1]["help"] = "x" * 612
    spec[GOV_FILE]["questions"][2]["recommendation"]["resources"][0]["url"] = "http://a.fr"
    code = cli.main(["check", "--path", str(write_referential(tmp_path, spec))])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [
        "Référentiel invalide : 2 erreurs.",
        "  themes/01-gouvernance.yaml: GOV-02: help: trop long (612 caractères, maximum 600)",
        "  themes/01-gouvernance.yaml: GOV-03: recommendation.resources[0].url: "
        "lien non https : « http://a.fr » (seuls les liens https:// sont acceptés)",
    ]
    assert "GOV Gouvernance — niveau 1 : 1 question" in out  # counts still shown, as read


def test_check_strict_counts_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write_referential(tmp_path))
    assert cli.main(["check", "--path", path, "--strict-counts"]) == 1
    assert "de 30 à 36 questions au total (6)" in capsys.readouterr().err


def test_export_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["export", "--format", "json", "--path", str(write_referential(tmp_path))])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["version", "grades", "weights", "themes", "questions", "glossary"]
    assert data["version"] == "1.0.0"
    assert data["grades"] == {"A": 80, "B": 60, "C": 40, "D": 20, "E": 0}
    assert data["weights"] == {"prioritaire": 3, "necessaire": 2, "recommandee": 1}
    assert data["themes"][2] == {
        "id": "APL",
        "title": "Pour aller plus loin",
        "level": 2,
        "locked": True,
    }
    assert [q["id"] for q in data["questions"]][:2] == ["GOV-01", "GOV-02"]
    first = data["questions"][0]
    assert set(first) == {
        "id",
        "theme",
        "level",
        "text",
        "help",
        "answer_type",
        "options",
        "priority",
        "weight",
        "decree_objectives",
        "definitions",
        "recommendation",
    }
    assert (first["theme"], first["level"], first["weight"]) == ("GOV", 1, 3)
    assert first["definitions"] == ["referent-nr"]
    assert first["decree_objectives"] == ["O1", "O4"]
    assert set(first["recommendation"]) == {"title", "why", "how", "resources"}
    assert first["recommendation"]["resources"] == [
        {"title": "Guide de bonnes pratiques", "url": "https://example.org/guide.pdf"}
    ]
    choice = data["questions"][4]
    assert choice["answer_type"] == "choice"
    assert choice["options"][1] == {"id": "quart", "label": "Un quart environ", "credit": 0.25}
    assert data["glossary"][1] == {
        "id": "ecolabel",
        "term": "Écolabel",
        "definition": "Un label environnemental.",
    }


def test_export_of_a_broken_referential_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = valid_spec()
    spec["meta.yaml"]["weights"].pop("necessaire")
    assert cli.main(["export", "--path", str(write_referential(tmp_path, spec))]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "meta.yaml: weights: poids manquant pour : necessaire" in err


def test_add_parser_plugs_into_a_parent_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="ecoclic")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["referential", "check", "--path", str(write_referential(tmp_path))])
    assert args.command == "referential"
    assert cli.run(args) == 0
    assert "valide" in capsys.readouterr().out


def test_ecoclic_command_runs_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ecoclic.cli import main

    assert main(["referential", "check", "--path", str(write_referential(tmp_path))]) == 0
    assert "valide" in capsys.readouterr().out


def test_python_dash_m_referential(tmp_path: Path) -> None:
    spec = valid_spec()
    spec[GOV_FILE]["questions"][0]["priority"] = "urgente"
    path = write_referential(tmp_path, spec)
    done = subprocess.run(
        [sys.executable, "-m", "referential", "check", "--path", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "themes/01-gouvernance.yaml: GOV-01: priority: valeur 'urgente' inconnue" in done.stderr


def test_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main([])
    assert raised.value.code == 2
    assert "usage" in capsys.readouterr().err
