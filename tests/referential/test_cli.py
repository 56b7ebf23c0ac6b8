"""`referential check|export`, through `python -m referential`, `ecoclic` and `add_parser`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from referential import cli
from referential.kinds import AnswerType
from tests.helpers.referential_factory import (
    APL_FILE,
    GOV_FILE,
    question,
    typed_spec,
    valid_spec,
    write_referential,
)


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
    assert list(data) == [
        "version",
        "lang",
        "text_lang",
        "grades",
        "weights",
        "themes",
        "questions",
        "indicators",
        "glossary",
    ]
    assert (data["version"], data["lang"], data["text_lang"]) == ("1.0.0", "fr", "fr")
    assert data["indicators"] == []
    assert data["grades"] == {"A": 80, "B": 60, "C": 40, "D": 20, "E": 0}
    assert data["weights"] == {"prioritaire": 3, "necessaire": 2, "recommandee": 1}
    assert data["themes"][2] == {
        "id": "APL",
        "title": "Pour aller plus loin",
        "level": 2,
        "locked": True,
        "subthemes": [
            {"id": "APL-ACH", "title": "Achat responsable"},
            {"id": "APL-RGPD", "title": "Protection des données"},
        ],
    }
    assert [q["id"] for q in data["questions"]][:2] == ["GOV-01", "GOV-02"]
    first = data["questions"][0]
    assert set(first) == {
        "id",
        "theme",
        "subtheme",
        "level",
        "text",
        "help",
        "answer_type",
        "unit",
        "min",
        "max",
        "example",
        "max_length",
        "options",
        "not_applicable",
        "personal_data",
        "shown_if",
        "priority",
        "weight",
        "transversal",
        "decree_objectives",
        "definitions",
        "recommend_if",
        "recommendation",
    }
    assert (first["unit"], first["min"], first["not_applicable"], first["shown_if"]) == (
        None,
        None,
        False,
        None,
    )
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


def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    path = str(write_referential(tmp_path, typed_spec()))
    assert cli.main(["export", "--format", "json", "--path", path, *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_export_typed_questions_and_indicators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _export(tmp_path, capsys)
    questions = {q["id"]: q for q in data["questions"]}
    assert {q["answer_type"] for q in data["questions"]} == {t.value for t in AnswerType}
    computers = questions["PAR-01"]
    assert (computers["level"], computers["theme"], computers["unit"]) == (2, "PAR", "postes")
    assert (computers["min"], computers["max"], computers["example"]) == (0, 100000, "1 200")
    assert (computers["recommendation"], computers["recommend_if"]) == (None, [])
    share = questions["PAR-05"]
    assert (share["unit"], share["min"], share["max"]) == ("%", 0, 100)
    assert share["recommend_if"] == [
        {"below": 25, "priority": "prioritaire"},
        {"below": 50, "priority": "necessaire"},
    ]
    assert questions["PAR-03"]["shown_if"] == {"question": "PAR-02", "answer": ["oui"]}
    assert questions["PAR-06"]["not_applicable"] is True
    text = questions["PAR-10"]
    assert (text["max_length"], text["personal_data"], text["unit"]) == (80, True, None)
    assert questions["PAR-11"]["options"][0] == {"id": "tco", "label": "TCO Certified", "credit": 0}
    assert [i["id"] for i in data["indicators"]] == [
        "part-louee",
        "postes-par-agent",
        "depense",
        "annee-moyenne",
        "pratiques",
    ]
    assert data["indicators"][1] == {
        "id": "postes-par-agent",
        "title": "Postes par agent",
        "unit": "postes par agent",
        "direction": "lower",
        "formula": {"kind": "ratio", "numerator": ["PAR-01"], "denominator": ["PAR-04"]},
        "threshold": {"value": 1.5, "source": "Repère interne de test", "url": None},
        "help": None,
    }
    assert data["indicators"][4]["formula"] == {
        "kind": "count",
        "of": ["GOV-01", "GOV-02", "GOV-03"],
        "where": {"answer": ["oui"]},
    }


def test_export_in_english_falls_back_to_french_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _export(tmp_path, capsys, "--lang", "en")
    assert (data["lang"], data["text_lang"]) == ("en", "fr")
    assert "French" in data["fallback"]
    assert data["questions"][0]["text"].startswith("La collectivité")


def test_check_counts_per_level_and_subtheme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = typed_spec()
    spec[APL_FILE]["questions"].append(
        question("APL-01", subtheme="APL-RGPD")
        | {"text": "Un registre des traitements existe-t-il ?"}
    )
    assert cli.main(["check", "--path", str(write_referential(tmp_path, spec))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.endswith("APL-ACH Achat responsable : 0 question") for line in lines)
    assert any(line.endswith("APL-RGPD Protection des données : 1 question") for line in lines)
    assert "Niveau 1 : 6 questions, 2 thème(s), 0 sous-thème(s)" in lines
    assert "Niveau 2 : 13 questions, 2 thème(s), 2 sous-thème(s)" in lines
    assert "Indicateurs : 5" in lines


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
