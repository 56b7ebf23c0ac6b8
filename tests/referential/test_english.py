"""The English overlay: loaded beside the French, checked entry by entry, applied as a translated
referential; `--lang en` for `referential check` and `export`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from referential import cli
from referential.loader import check_referential, default_referential, load_referential
from referential.models import Referential
from tests.helpers.referential_factory import build_referential, valid_spec, write_referential

SHIPPED = default_referential()
EN = "en/overlay.yaml"


def english_spec(ref: Referential) -> dict[str, Any]:
    """A complete overlay of the level-1 fixture, generated from its French."""
    questions: dict[str, Any] = {}
    for q in ref.level_questions(1):
        rec = q.advice()
        questions[q.id] = {
            "text": f"Does the authority apply measure {q.id}?",
            "help": f"English help for {q.id}.",
            "options": {o.id: f"EN {o.id}" for o in q.options},
            "recommendation": {
                "title": f"Apply {q.id}",
                "why": "Because it matters.",
                "how": "Start small.",
                "resources": [f"Resource {i}" for i, _ in enumerate(rec.resources)],
            },
        }
        if not q.options:
            del questions[q.id]["options"]
    return {
        "themes": {t.id: {"title": f"Theme {t.id}", "intro": "Intro."} for t in ref.level_themes()},
        "questions": questions,
        "terms": {t.id: {"term": f"Term {t.id}", "definition": "Meaning."} for t in ref.glossary},
    }


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    return build_referential(tmp_path_factory.mktemp("fr"))


def _with_overlay(
    french: Referential, change: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    spec = valid_spec()
    overlay = english_spec(french)
    if change is not None:
        change(overlay)
    spec[EN] = overlay
    return spec


def test_shipped_level_one_is_all_in_english() -> None:
    english = SHIPPED.translated("en")
    assert english.lang == "en" and english is not SHIPPED
    assert english.translated("fr") is SHIPPED
    for q in SHIPPED.level_questions():
        en = english.question(q.id)
        assert english.is_translated(q.id)
        assert en.text != q.text and en.help != q.help
        assert (en.answer_type, en.priority, en.not_applicable) == (
            q.answer_type,
            q.priority,
            q.not_applicable,
        )
        assert [o.id for o in en.options] == [o.id for o in q.options]
        assert [r.url for r in en.advice().resources] == [r.url for r in q.advice().resources]
    assert english.theme("GOV").title == "Governance"
    assert english.term("visa-elimination").term == "Destruction visa"
    assert english.question("ACH-01").options[3].label == "I don't know"


def test_french_referential_is_its_own_french() -> None:
    assert SHIPPED.translated("fr") is SHIPPED
    assert all(SHIPPED.is_translated(q.id) for q in SHIPPED.questions)


def test_check_lang_en_passes_on_the_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Anglais : niveau 1 : 35/35 questions, niveau 2 : 0/123 questions" in out


def test_export_lang_en_gives_english_for_every_level_one_question(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["export", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["lang"], data["text_lang"]) == ("en", "en")
    level_one = [q for q in data["questions"] if q["level"] == 1]
    assert len(level_one) == 35
    french = {q.id: q.text for q in SHIPPED.level_questions()}
    assert all(q["text"] != french[q["id"]] for q in level_one)
    assert not set(data.get("untranslated", ())) & set(french)


def test_fixture_overlay_loads_and_applies(tmp_path: Path, french: Referential) -> None:
    ref = load_referential(write_referential(tmp_path, _with_overlay(french)))
    english = ref.translated("en")
    assert english.question("SEN-02").options[0].label == "EN aucun"
    assert english.question("GOV-01").text == "Does the authority apply measure GOV-01?"
    assert english.question("GOV-01").advice().resources[0].url.startswith("https://")
    assert ref.question("GOV-01").text.startswith("La collectivité")  # the French is untouched


def test_partial_overlay_leaves_the_rest_french_and_export_says_so(
    tmp_path: Path, french: Referential, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _with_overlay(french, lambda o: o["questions"].pop("SEN-03"))
    path = str(write_referential(tmp_path, spec))
    english = load_referential(Path(path)).translated("en")
    assert not english.is_translated("SEN-03") and english.is_translated("SEN-02")
    assert english.question("SEN-03").text.startswith("La collectivité")
    assert cli.main(["export", "--path", path, "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["untranslated"] == ["SEN-03"] and "French" in data["fallback"]
    # …but `check --lang en` requires level 1 complete:
    assert cli.main(["check", "--path", path, "--lang", "en"]) == 1
    assert "en/: SEN-03: question de niveau 1 non traduite" in capsys.readouterr().err


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(overlay: dict[str, Any]) -> None:
        node = overlay
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(path: tuple[str, ...]) -> Callable[[dict[str, Any]], None]:
    def change(overlay: dict[str, Any]) -> None:
        node = overlay
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


# (rule, change, item id, field, message fragment): one broken overlay per rule.
BROKEN = [
    ("unknown question", _set(("questions", "GOV-09"), {"text": "X?", "help": "Y"}),
     "GOV-09", None, "question absente du référentiel"),
    ("unknown theme", _set(("themes", "XYZ"), {"title": "X", "intro": "Y"}),
     "XYZ", None, "thème absent du référentiel"),
    ("unknown term", _set(("terms", "nope"), {"term": "X", "definition": "Y"}),
     "nope", None, "terme absent du glossaire"),
    ("missing option", _drop(("questions", "SEN-02", "options", "quart")),
     "SEN-02", "options.quart", "traduction manquante"),
    ("extra option", _set(("questions", "SEN-02", "options", "zz"), "Z"),
     "SEN-02", "options.zz", "absent du texte français"),
    ("missing recommendation", _drop(("questions", "GOV-01", "recommendation")),
     "GOV-01", "recommendation", "traduction manquante"),
    ("resource count", _set(("questions", "GOV-01", "recommendation", "resources"), []),
     "GOV-01", "recommendation.resources", "1 ressource(s) en français, 0 traduite(s)"),
    ("help too long", _set(("questions", "GOV-01", "help"), "x" * 601),
     "GOV-01", "help", "trop long (601 caractères, maximum 600)"),
    ("no question mark", _set(("questions", "GOV-01", "text"), "No question"),
     "GOV-01", "text", "« ? »"),
    ("missing text", _drop(("questions", "GOV-01", "text")),
     "GOV-01", "text", "champ obligatoire manquant"),
    ("unknown field", _set(("questions", "GOV-01", "priority"), "x"),
     "GOV-01", "priority", "champ inconnu"),
    ("option label too long", _set(("questions", "SEN-02", "options", "tous"), "x" * 41),
     "SEN-02", "options.tous", "trop long"),
    ("term definition too long", _set(("terms", "ecolabel", "definition"), "x" * 401),
     "ecolabel", "definition", "trop long"),
    ("missing level-1 theme", _drop(("themes", "SEN")),
     "SEN", None, "thème de niveau 1 non traduit"),
    ("missing term", _drop(("terms", "ecolabel")),
     "ecolabel", None, "terme du niveau 1 non traduit"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "item_id", "field", "fragment"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_overlay_is_located(
    tmp_path: Path,
    french: Referential,
    change: Callable[[dict[str, Any]], None],
    item_id: str,
    field: str | None,
    fragment: str,
) -> None:
    path = write_referential(tmp_path, _with_overlay(french, change))
    errors = check_referential(path, english=True)
    assert errors, "the broken overlay must be reported"
    error = errors[0]
    assert error.file in (EN, "en/")
    assert (error.item_id, error.field) == (item_id, field)
    assert fragment in error.message


def test_same_entry_in_two_files(tmp_path: Path, french: Referential) -> None:
    spec = _with_overlay(french)
    spec["en/zz-more.yaml"] = {"terms": {"ecolabel": {"term": "Ecolabel", "definition": "Again."}}}
    errors = check_referential(write_referential(tmp_path, spec))
    assert [(e.file, e.item_id, e.message) for e in errors] == [
        ("en/zz-more.yaml", "ecolabel", f"déjà traduit dans {EN}")
    ]


def test_no_overlay_is_fine_unless_english_is_required(tmp_path: Path) -> None:
    path = write_referential(tmp_path)
    assert check_referential(path) == []
    assert [str(e) for e in check_referential(path, english=True)] == ["en/: dossier introuvable"]
    assert load_referential(path).translated("en").lang == "fr"


def test_terms_only_level_two_uses_may_stay_french(tmp_path: Path, french: Referential) -> None:
    spec = _with_overlay(french, _drop(("terms", "ecolabel")))
    spec["themes/01-gouvernance.yaml"]["questions"][2]["definitions"] = ["reemploi"]
    assert check_referential(write_referential(tmp_path, spec), english=True) == []
