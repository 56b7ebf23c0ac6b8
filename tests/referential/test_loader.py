"""The loader: a valid fixture loads; each broken rule gives an error naming file, id and field."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from referential.errors import ReferentialError
from referential.loader import (
    DATA_DIR,
    check_referential,
    default_referential,
    inspect_referential,
    load_referential,
)
from referential.models import AnswerType, Priority
from tests.helpers.referential_factory import (
    APL_FILE,
    GOV_FILE,
    SEN_FILE,
    YAML_VALUES,
    build_referential,
    question,
    spec_paths,
    valid_spec,
    write_referential,
)

Spec = dict[str, Any]


def gov(spec: Spec, index: int) -> Any:
    return spec[GOV_FILE]["questions"][index]


def sen(spec: Spec, index: int) -> Any:
    return spec[SEN_FILE]["questions"][index]


def meta(spec: Spec) -> Any:
    return spec["meta.yaml"]


def terms(spec: Spec) -> Any:
    return spec["glossary.yaml"]["terms"]


def rename(spec: Spec, old: str, new: str) -> None:
    spec[new] = spec.pop(old)


def add_choice(spec: Spec, file: str, qid: str) -> None:
    spec[file]["questions"].append(
        question(qid, answer_type="choice", options=sen(spec, 1)["options"])
    )


def three_choice_questions(spec: Spec) -> None:
    add_choice(spec, GOV_FILE, "GOV-04")
    add_choice(spec, SEN_FILE, "SEN-04")


def duplicate_theme_id(spec: Spec) -> None:
    spec[SEN_FILE]["theme"]["id"] = "GOV"
    spec[SEN_FILE]["questions"] = []


def duplicate_theme_order(spec: Spec) -> None:
    rename(spec, SEN_FILE, "themes/01-sensib.yaml")
    spec["themes/01-sensib.yaml"]["theme"]["order"] = 1


# (rule, mutation, file, item id, field, fragment of the message): one broken fixture per rule.
# fmt: off
BROKEN: list[tuple[str, Callable[[Spec], Any], str, str | None, str | None, str]] = [
    # unknown keys, at every depth
    ("unknown question key", lambda s: gov(s, 1).update(colour="vert"),
     GOV_FILE, "GOV-02", "colour", "champ inconnu"),
    ("unknown recommendation key", lambda s: gov(s, 1)["recommendation"].update(cost=3),
     GOV_FILE, "GOV-02", "recommendation.cost", "champ inconnu"),
    ("unknown theme file key", lambda s: s[GOV_FILE].update(notes="x"),
     GOV_FILE, None, "notes", "champ inconnu"),
    ("unknown theme key", lambda s: s[GOV_FILE]["theme"].update(colour="vert"),
     GOV_FILE, "GOV", "colour", "champ inconnu"),
    ("unknown meta key", lambda s: meta(s).update(author="moi"),
     "meta.yaml", None, "author", "champ inconnu"),
    ("unknown glossary key", lambda s: terms(s)[1].update(source="x"),
     "glossary.yaml", "ecolabel", "source", "champ inconnu"),
    ("missing field", lambda s: gov(s, 1).pop("help"),
     GOV_FILE, "GOV-02", "help", "champ obligatoire manquant"),
    # length limits
    ("question text > 200", lambda s: gov(s, 1).update(text="x" * 200 + "?"),
     GOV_FILE, "GOV-02", "text", "trop long (201 caractères, maximum 200)"),
    ("question text without ?", lambda s: gov(s, 1).update(text="Une affirmation."),
     GOV_FILE, "GOV-02", "text", "« ? »"),
    ("help > 600", lambda s: gov(s, 1).update(help="x" * 612),
     GOV_FILE, "GOV-02", "help", "trop long (612 caractères, maximum 600)"),
    ("empty help", lambda s: gov(s, 1).update(help="   "),
     GOV_FILE, "GOV-02", "help", "ne doit pas être vide"),
    ("recommendation title > 120", lambda s: gov(s, 1)["recommendation"].update(title="x" * 121),
     GOV_FILE, "GOV-02", "recommendation.title", "maximum 120"),
    ("why > 600", lambda s: gov(s, 1)["recommendation"].update(why="x" * 601),
     GOV_FILE, "GOV-02", "recommendation.why", "maximum 600"),
    ("how > 600", lambda s: gov(s, 1)["recommendation"].update(how="x" * 601),
     GOV_FILE, "GOV-02", "recommendation.how", "maximum 600"),
    ("resource title > 120",
     lambda s: gov(s, 1)["recommendation"]["resources"][0].update(title="x" * 121),
     GOV_FILE, "GOV-02", "recommendation.resources[0].title", "maximum 120"),
    ("theme intro > 300", lambda s: s[GOV_FILE]["theme"].update(intro="x" * 301),
     GOV_FILE, "GOV", "intro", "trop long (301 caractères, maximum 300)"),
    ("definition > 400", lambda s: terms(s)[1].update(definition="x" * 401),
     "glossary.yaml", "ecolabel", "definition", "maximum 400"),
    ("term > 60", lambda s: terms(s)[1].update(term="x" * 61),
     "glossary.yaml", "ecolabel", "term", "maximum 60"),
    ("objective title > 120", lambda s: meta(s)["decree_objectives"][2].update(title="x" * 121),
     "meta.yaml", "O3", "title", "maximum 120"),
    ("option label > 40", lambda s: sen(s, 1)["options"][0].update(label="x" * 41),
     SEN_FILE, "SEN-02", "options[0].label", "maximum 40"),
    # resources and links
    ("no resource", lambda s: gov(s, 1)["recommendation"].update(resources=[]),
     GOV_FILE, "GOV-02", "recommendation.resources", "au moins 1"),
    ("four resources",
     lambda s: gov(s, 1)["recommendation"].update(
         resources=[{"title": f"R{i}", "url": "https://example.org/"} for i in range(4)]),
     GOV_FILE, "GOV-02", "recommendation.resources", "au plus 3"),
    ("http link",
     lambda s: gov(s, 1)["recommendation"]["resources"][0].update(url="http://example.org/x"),
     GOV_FILE, "GOV-02", "recommendation.resources[0].url", "non https"),
    ("link with a space",
     lambda s: gov(s, 1)["recommendation"]["resources"][0].update(url="https://exa mple.org/"),
     GOV_FILE, "GOV-02", "recommendation.resources[0].url", "mal formé"),
    ("link without domain",
     lambda s: gov(s, 1)["recommendation"]["resources"][0].update(url="https:///guide.pdf"),
     GOV_FILE, "GOV-02", "recommendation.resources[0].url", "nom de domaine"),
    # ids, enums, references
    ("unknown priority", lambda s: gov(s, 1).update(priority="urgente"),
     GOV_FILE, "GOV-02", "priority", "valeur 'urgente' inconnue"),
    ("unknown answer type", lambda s: gov(s, 1).update(answer_type="texte"),
     GOV_FILE, "GOV-02", "answer_type", "valeur 'texte' inconnue"),
    ("malformed question id", lambda s: gov(s, 1).update(id="GOV-2"),
     GOV_FILE, "GOV-2", "id", "THEME-NN"),
    ("question id of another theme", lambda s: sen(s, 2).update(id="GOV-09"),
     SEN_FILE, "GOV-09", "id", "commencer par « SEN- »"),
    ("duplicate question id", lambda s: gov(s, 2).update(id="GOV-01"),
     GOV_FILE, "GOV-01", "id", "déjà utilisé dans themes/01-gouvernance.yaml"),
    ("unknown glossary term", lambda s: gov(s, 1).update(definitions=["inconnu"]),
     GOV_FILE, "GOV-02", "definitions[0]", "« inconnu » absent de glossary.yaml"),
    ("duplicate definition", lambda s: gov(s, 1).update(definitions=["ecolabel", "ecolabel"]),
     GOV_FILE, "GOV-02", "definitions", "« ecolabel » en double"),
    ("unknown decree objective", lambda s: gov(s, 1).update(decree_objectives=["O9"]),
     GOV_FILE, "GOV-02", "decree_objectives[0]", "« O9 » absent de meta.yaml"),
    ("no decree objective", lambda s: gov(s, 1).update(decree_objectives=[]),
     GOV_FILE, "GOV-02", "decree_objectives", "au moins un objectif du décret attendu"),
    ("transversal and objectives", lambda s: gov(s, 1).update(transversal=True),
     GOV_FILE, "GOV-02", "decree_objectives", "une question transversale ne porte pas"),
    ("transversal not a bool", lambda s: gov(s, 1).update(transversal="oui"),
     GOV_FILE, "GOV-02", "transversal", "true ou false"),
    ("duplicate glossary id", lambda s: terms(s)[2].update(id="ecolabel"),
     "glossary.yaml", "ecolabel", "id", "en double"),
    ("duplicate glossary term",
     lambda s: terms(s).append({"id": "eco-label", "term": "ÉCOLABEL", "definition": "Doublon."}),
     "glossary.yaml", "eco-label", "term", "déjà défini par « ecolabel »"),
    ("malformed glossary id", lambda s: terms(s)[1].update(id="Eco_Label"),
     "glossary.yaml", "Eco_Label", "id", "minuscules, chiffres et tirets"),
    ("duplicate objective", lambda s: meta(s)["decree_objectives"][5].update(id="O1"),
     "meta.yaml", None, "decree_objectives", "objectif « O1 » en double"),
    # choice questions
    ("credit above 1", lambda s: sen(s, 1)["options"][0].update(credit=1.5),
     SEN_FILE, "SEN-02", "options[0].credit", "inférieur ou égal à 1"),
    ("no option worth 1", lambda s: sen(s, 1)["options"][3].update(credit=0.75),
     SEN_FILE, "SEN-02", "options", "au moins une option doit valoir un crédit de 1"),
    ("malformed option id", lambda s: sen(s, 1)["options"][0].update(id="Aucun"),
     SEN_FILE, "SEN-02", "options[0].id", "minuscules ou chiffres"),
    ("duplicate option id", lambda s: sen(s, 1)["options"][1].update(id="aucun"),
     SEN_FILE, "SEN-02", "options", "option « aucun » en double"),
    ("six options",
     lambda s: sen(s, 1)["options"].append({"id": "autre", "label": "Autre", "credit": 0}),
     SEN_FILE, "SEN-02", "options", "de 2 à 5 options (6 trouvées)"),
    ("one option", lambda s: sen(s, 1).update(options=[sen(s, 1)["options"][3]]),
     SEN_FILE, "SEN-02", "options", "de 2 à 5 options (1 trouvées)"),
    ("choice without options", lambda s: sen(s, 1).pop("options"),
     SEN_FILE, "SEN-02", "options", "de 2 à 5 options (0 trouvées)"),
    ("yes/no with options",
     lambda s: gov(s, 1).update(options=[{"id": "a", "label": "A", "credit": 1}] * 2),
     GOV_FILE, "GOV-02", "options", "oui/non ne doit pas avoir d'options"),
    ("three choice questions", three_choice_questions,
     SEN_FILE, "SEN-04", "answer_type", "au plus 2 questions à choix"),
    # meta: version, weights, grades, credits
    ("version not a string", lambda s: meta(s).update(version=1.0),
     "meta.yaml", None, "version", "doit être un texte"),
    ("malformed version", lambda s: meta(s).update(version="v1"),
     "meta.yaml", None, "version", "MAJEUR.MINEUR.CORRECTIF"),
    ("missing weight", lambda s: meta(s)["weights"].pop("recommandee"),
     "meta.yaml", None, "weights", "poids manquant pour : recommandee"),
    ("zero weight", lambda s: meta(s)["weights"].update(necessaire=0),
     "meta.yaml", None, "weights.necessaire", "strictement supérieur à 0"),
    ("fractional weight", lambda s: meta(s)["weights"].update(necessaire=1.5),
     "meta.yaml", None, "weights.necessaire", "nombre entier"),
    ("unknown weight priority", lambda s: meta(s)["weights"].update(urgente=4),
     "meta.yaml", None, "weights.urgente", "valeur 'urgente' inconnue"),
    ("grades not decreasing", lambda s: meta(s)["grades"][2].update(min=60),
     "meta.yaml", None, "grades", "décroître strictement (B : 60, puis C : 60)"),
    ("grades not ending at 0", lambda s: meta(s)["grades"].pop(),
     "meta.yaml", None, "grades", "le dernier seuil doit être 0 (trouvé : 20)"),
    ("duplicate grade letter", lambda s: meta(s)["grades"][1].update(letter="A"),
     "meta.yaml", None, "grades", "lettre « A » en double"),
    ("missing answer credit", lambda s: meta(s)["answer_credits"].pop("nsp"),
     "meta.yaml", None, "answer_credits", "crédit manquant pour : nsp"),
    # themes: files, order, reachability
    ("file number differs from order", lambda s: rename(s, SEN_FILE, "themes/03-sensib.yaml"),
     "themes/03-sensib.yaml", "SEN", "order", "numéro du fichier (03)"),
    ("malformed file name", lambda s: rename(s, SEN_FILE, "themes/sensibilisation.yaml"),
     "themes/sensibilisation.yaml", None, None, "nom de fichier invalide"),
    ("duplicate theme id", duplicate_theme_id,
     SEN_FILE, "GOV", "id", "identifiant de thème déjà utilisé dans themes/01-gouvernance.yaml"),
    ("duplicate theme order", duplicate_theme_order,
     "themes/01-sensib.yaml", "SEN", "order", "ordre 1 déjà utilisé"),
    ("locked level-1 theme", lambda s: s[GOV_FILE]["theme"].update(locked=True),
     GOV_FILE, "GOV", "locked", "un thème de niveau 1 ne peut pas être verrouillé"),
    ("level 0", lambda s: s[GOV_FILE]["theme"].update(level=0),
     GOV_FILE, "GOV", "level", "supérieur ou égal à 1"),
    ("locked not a boolean", lambda s: s[GOV_FILE]["theme"].update(locked="non"),
     GOV_FILE, "GOV", "locked", "true ou false"),
    ("subtheme of another theme",
     lambda s: s[APL_FILE]["theme"]["subthemes"][0].update(id="GOV-ACH"),
     APL_FILE, "APL", "subthemes", "doit commencer par « APL- »"),
    ("questions not a list", lambda s: s[GOV_FILE].update(questions={"GOV-01": "x"}),
     GOV_FILE, None, "questions", "doit être une liste"),
    ("question not a mapping", lambda s: s[GOV_FILE]["questions"].append("GOV-04"),
     GOV_FILE, "questions[3]", None, "dictionnaire"),
    # files
    ("YAML syntax error", lambda s: s.update({GOV_FILE: "theme: [unclosed\n"}),
     GOV_FILE, None, None, "YAML invalide"),
    ("duplicated YAML key",
     lambda s: s.update({"glossary.yaml": "terms: []\nterms: []\n"}),
     "glossary.yaml", None, None, "clé « terms » en double (ligne 2"),
    ("empty file", lambda s: s.update({"glossary.yaml": ""}),
     "glossary.yaml", None, None, "fichier vide"),
    ("top level not a mapping", lambda s: s.update({"meta.yaml": "- 1\n- 2\n"}),
     "meta.yaml", None, None, "doit contenir un dictionnaire"),
    ("missing meta file", lambda s: s.pop("meta.yaml"),
     "meta.yaml", None, None, "fichier introuvable"),
]
# fmt: on


def _write_broken(tmp_path: Path, mutate: Callable[[Spec], Any]) -> Path:
    spec = valid_spec()
    mutate(spec)
    return write_referential(tmp_path, spec)


def test_valid_fixture_has_no_error(tmp_path: Path) -> None:
    assert check_referential(write_referential(tmp_path)) == []


@pytest.mark.parametrize(
    ("mutate", "file", "item_id", "field", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in BROKEN],
)
def test_broken_rule_is_located(
    tmp_path: Path,
    mutate: Callable[[Spec], Any],
    file: str,
    item_id: str | None,
    field: str | None,
    fragment: str,
) -> None:
    errors = check_referential(_write_broken(tmp_path, mutate))
    located = [(e.file, e.item_id, e.field) for e in errors]
    assert (file, item_id, field) in located, errors
    error = errors[located.index((file, item_id, field))]
    assert fragment in error.message
    assert str(error).startswith(": ".join(p for p in (file, item_id, field) if p) + ": ")
    with pytest.raises(ReferentialError):
        load_referential(tmp_path)


def test_error_str_names_file_id_and_field() -> None:
    error = ReferentialError(GOV_FILE, "GOV-02", "help", "trop long (612 caractères, maximum 600)")
    assert str(error) == (
        "themes/01-gouvernance.yaml: GOV-02: help: trop long (612 caractères, maximum 600)"
    )
    assert (
        str(ReferentialError("meta.yaml", None, None, "fichier vide")) == "meta.yaml: fichier vide"
    )


def test_all_errors_are_collected_and_load_raises_the_first(tmp_path: Path) -> None:
    spec = valid_spec()
    gov(spec, 0)["help"] = "x" * 601
    sen(spec, 2)["priority"] = "urgente"
    terms(spec)[0]["definition"] = ""
    errors = check_referential(write_referential(tmp_path, spec))
    assert [(e.file, e.item_id, e.field) for e in errors] == [
        ("glossary.yaml", "referent-nr", "definition"),
        (GOV_FILE, "GOV-01", "help"),
        (SEN_FILE, "SEN-03", "priority"),
    ]
    with pytest.raises(ReferentialError) as raised:
        load_referential(tmp_path)
    assert str(raised.value) == str(errors[0])


def test_invalid_term_is_reported_once_not_at_every_use(tmp_path: Path) -> None:
    spec = valid_spec()
    terms(spec)[0]["term"] = "x" * 61  # referent-nr is used by GOV-01
    errors = check_referential(write_referential(tmp_path, spec))
    assert [(e.item_id, e.field) for e in errors] == [("referent-nr", "term")]


def test_completeness_rules_apply_only_when_strict(tmp_path: Path) -> None:
    spec = valid_spec()
    spec[GOV_FILE]["questions"].pop()  # GOV-03 was the only question serving O3
    path = write_referential(tmp_path, spec)
    assert check_referential(path) == []
    strict = [
        (e.file, e.item_id, e.field, e.message) for e in check_referential(path, strict_counts=True)
    ]
    assert strict == [
        (GOV_FILE, "GOV", "questions", "un thème de niveau 1 doit avoir de 3 à 6 questions (2)"),
        (
            "themes/",
            "niveau 1",
            "questions",
            "le niveau 1 doit compter de 30 à 36 questions au total (5)",
        ),
        ("meta.yaml", "O3", "decree_objectives", "aucune question ne sert cet objectif"),
    ]


def test_strict_counts_default_to_the_shipped_folder_only(tmp_path: Path) -> None:
    inspection = inspect_referential(write_referential(tmp_path))
    assert inspection.errors == []
    assert inspection.referential is not None
    assert {s.file for s in inspection.sources} == {GOV_FILE, SEN_FILE, APL_FILE}


def test_missing_folder(tmp_path: Path) -> None:
    errors = check_referential(tmp_path / "absent")
    assert [e.message for e in errors] == ["dossier introuvable"]


def test_empty_themes_folder(tmp_path: Path) -> None:
    spec = valid_spec()
    for name in (GOV_FILE, SEN_FILE, APL_FILE):
        spec.pop(name)
    errors = check_referential(write_referential(tmp_path, spec))
    assert [str(e) for e in errors] == ["themes/: aucun fichier de thème"]


def test_model_exposes_ordered_themes_and_questions(tmp_path: Path) -> None:
    ref = build_referential(tmp_path)
    assert ref.version == "1.0.0"
    assert [t.id for t in ref.themes] == ["GOV", "SEN", "APL"]
    assert [t.id for t in ref.level_themes()] == ["GOV", "SEN"]
    assert ref.level_themes(2) == ()  # APL is locked
    assert [q.id for q in ref.questions] == [
        "GOV-01",
        "GOV-02",
        "GOV-03",
        "SEN-01",
        "SEN-02",
        "SEN-03",
    ]
    assert ref.level_questions() == ref.questions
    assert [q.id for q in ref.questions_of("SEN")] == ["SEN-01", "SEN-02", "SEN-03"]
    sen2 = ref.question("SEN-02")
    assert (sen2.theme, sen2.level, sen2.answer_type) == ("SEN", 1, AnswerType.CHOICE)
    assert [o.credit for o in sen2.options] == [0, 0.25, 0.5, 1, 0]
    assert ref.weight(sen2) == 2
    assert ref.weights[Priority.PRIORITAIRE] == 3
    assert ref.theme("APL").subthemes[1].id == "APL-RGPD"
    assert ref.term("ecolabel").term == "Écolabel"
    assert ref.objective("O6").title == "Objectif numéro 6 du décret"
    assert ref.has_question("GOV-01") and not ref.has_question("GOV-09")
    for lookup in (ref.question, ref.theme, ref.term, ref.questions_of):
        with pytest.raises(KeyError):
            lookup("NOPE")


def test_theme_order_comes_from_order_not_file_name_sorting(tmp_path: Path) -> None:
    spec = valid_spec()
    spec[GOV_FILE]["theme"]["order"] = 3
    rename(spec, GOV_FILE, "themes/03-gouvernance.yaml")
    ref = build_referential(tmp_path, spec)
    assert [t.id for t in ref.themes] == ["SEN", "GOV", "APL"]
    assert ref.level_questions()[0].id == "SEN-01"


def test_models_are_frozen(tmp_path: Path) -> None:
    ref = build_referential(tmp_path)
    with pytest.raises(ValidationError):
        ref.question("GOV-01").text = "Autre ?"


def test_text_is_stripped_before_counting(tmp_path: Path) -> None:
    spec = valid_spec()
    gov(spec, 0)["help"] = "x" * 600 + "\n"  # what a YAML `>` block leaves at the end
    assert build_referential(tmp_path, spec).question("GOV-01").help == "x" * 600


def test_questions_key_may_be_empty(tmp_path: Path) -> None:
    spec = valid_spec()
    spec[APL_FILE] = spec[APL_FILE] | {"questions": None}
    assert build_referential(tmp_path, spec).questions_of("APL") == ()


PATHS = spec_paths(valid_spec())


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(PATHS), value=YAML_VALUES)
def test_any_value_anywhere_gives_errors_never_a_crash(path: tuple[Any, ...], value: Any) -> None:
    spec = valid_spec()
    parent = spec
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    with tempfile.TemporaryDirectory() as folder:
        root = write_referential(Path(folder), spec)
        errors = check_referential(root)
        assert all(isinstance(e, ReferentialError) and e.message for e in errors)
        if not errors:
            load_referential(root)


SHIPPED_THEMES = DATA_DIR / "themes"


@pytest.mark.skipif(
    not any(SHIPPED_THEMES.glob("*.yaml")),
    reason="referential/data/themes est vide : le contenu est en cours d'écriture",
)
def test_shipped_referential_is_valid_and_complete() -> None:
    errors = check_referential()  # strict: counts and objective coverage included
    assert errors == [], "\n".join(map(str, errors))
    ref = default_referential()
    assert 30 <= len(ref.level_questions()) <= 36
    assert {t.id for t in ref.level_themes()} == {
        "GOV",
        "SEN",
        "ACH",
        "PAR",
        "RES",
        "USA",
        "ECO",
        "EDI",
    }
    assert ref.theme("APL").locked
    assert [o.id for o in ref.objectives] == ["O1", "O2", "O3", "O4", "O5", "O6"]
