"""Issue 12's schema: typed answers, « non concerné », conditions, rules, sub-themes, indicators.

One broken fixture per rule, each error naming the file, the item id and the field; the fixture is
`typed_spec()` (tests/helpers/referential_factory.py), whose level-2 theme PAR has one question of
every typed answer type and whose indicators.yaml has one formula of each kind.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referential.errors import ReferentialError
from referential.kinds import AnswerType
from referential.loader import check_referential, load_referential
from referential.shape import french_date
from tests.helpers.referential_factory import (
    APL_FILE,
    GOV_FILE,
    INDICATORS_FILE,
    PAR_FILE,
    YAML_VALUES,
    build_referential,
    question,
    spec_paths,
    typed,
    typed_spec,
    write_referential,
)

Spec = dict[str, Any]


def par(spec: Spec, number: int) -> Any:
    """PAR-`number` (1-based, as its id)."""
    return spec[PAR_FILE]["questions"][number - 1]


def ind(spec: Spec, index: int) -> Any:
    return spec[INDICATORS_FILE]["indicators"][index]


def formula(spec: Spec, index: int) -> Any:
    return ind(spec, index)["formula"]


def nine_options(spec: Spec) -> None:
    par(spec, 11)["options"] = [{"id": f"o{i}", "label": f"Option {i}"} for i in range(9)]


def apl_question_without_subtheme(spec: Spec) -> None:
    spec[APL_FILE]["questions"].append(
        typed("APL-01", "yes_no", recommendation=question("X")["recommendation"])
    )


# fmt: off
BROKEN: list[tuple[str, Callable[[Spec], Any], str, str | None, str | None, str]] = [
    # numeric answers: example, bounds, unit
    ("integer without example", lambda s: par(s, 1).pop("example"),
     PAR_FILE, "PAR-01", "example", "champ obligatoire pour une question integer"),
    ("example not grouped", lambda s: par(s, 1).update(example="12500"),
     PAR_FILE, "PAR-01", "example", "n'est pas un nombre écrit en français"),
    ("example with a decimal point", lambda s: par(s, 7).update(example="1200.5 Go"),
     PAR_FILE, "PAR-07", "example", "n'est pas un nombre écrit en français"),
    ("example out of bounds", lambda s: par(s, 1).update(example="200 000"),
     PAR_FILE, "PAR-01", "example", "hors des bornes (0 à 100000)"),
    ("example below the default minimum", lambda s: par(s, 6).update(example="-5 €"),
     PAR_FILE, "PAR-06", "example", "hors des bornes"),
    ("percent example without %", lambda s: par(s, 5).update(example="35"),
     PAR_FILE, "PAR-05", "example", "doit finir par « % »"),
    ("amount example without €", lambda s: par(s, 6).update(example="12 500"),
     PAR_FILE, "PAR-06", "example", "doit finir par « € »"),
    ("amount example with millimes", lambda s: par(s, 6).update(example="12,505 €"),
     PAR_FILE, "PAR-06", "example", "deux décimales"),
    ("fractional integer example", lambda s: par(s, 4).update(example="1,5"),
     PAR_FILE, "PAR-04", "example", "nombre entier"),
    ("year example grouped", lambda s: par(s, 8).update(example="2 019"),
     PAR_FILE, "PAR-08", "example", "une année"),
    ("min not below max", lambda s: par(s, 1).update(min=10, max=5),
     PAR_FILE, "PAR-01", "max", "min (10) doit être strictement inférieur à max (5)"),
    ("min above the default max", lambda s: par(s, 5).update(min=100),
     PAR_FILE, "PAR-05", "max", "strictement inférieur"),
    ("fractional min of an integer", lambda s: par(s, 4).update(min=1.5),
     PAR_FILE, "PAR-04", "min", "nombre entier (trouvé : 1.5)"),
    ("percent max above 100", lambda s: par(s, 5).update(max=150),
     PAR_FILE, "PAR-05", "max", "entre 0 et 100"),
    ("bound as text", lambda s: par(s, 1).update(max="100"),
     PAR_FILE, "PAR-01", "max", "doit être un nombre"),
    ("bound on a text question", lambda s: par(s, 10).update(min=1),
     PAR_FILE, "PAR-10", "min", "pas de borne pour une question text"),
    ("unit on a percentage", lambda s: par(s, 5).update(unit="%"),
     PAR_FILE, "PAR-05", "unit", "implicite : « % »"),
    ("unit on a yes/no question", lambda s: par(s, 2).update(unit="postes"),
     PAR_FILE, "PAR-02", "unit", "pas d'unité pour une question yes_no"),
    # text, date, personal data
    ("text without max_length", lambda s: par(s, 10).pop("max_length"),
     PAR_FILE, "PAR-10", "max_length", "champ obligatoire pour une question text"),
    ("max_length on an integer", lambda s: par(s, 1).update(max_length=10),
     PAR_FILE, "PAR-01", "max_length", "seule une question text"),
    ("max_length above 300", lambda s: par(s, 10).update(max_length=301),
     PAR_FILE, "PAR-10", "max_length", "inférieur ou égal à 300"),
    ("text example too long", lambda s: par(s, 10).update(max_length=3),
     PAR_FILE, "PAR-10", "example", "plus long que max_length (3)"),
    ("ISO date example", lambda s: par(s, 9).update(example="2027-03-15"),
     PAR_FILE, "PAR-09", "example", "JJ/MM/AAAA"),
    ("impossible date example", lambda s: par(s, 9).update(example="31/02/2027"),
     PAR_FILE, "PAR-09", "example", "invalide"),
    ("example on a yes/no question", lambda s: par(s, 2).update(example="oui"),
     PAR_FILE, "PAR-02", "example", "pas d'exemple pour une question yes_no"),
    ("personal data outside text", lambda s: par(s, 1).update(personal_data=True),
     PAR_FILE, "PAR-01", "personal_data", "seule une question text"),
    ("not_applicable not a boolean", lambda s: par(s, 6).update(not_applicable="oui"),
     PAR_FILE, "PAR-06", "not_applicable", "true ou false"),
    # options
    ("multi-choice with credits", lambda s: par(s, 11)["options"][0].update(credit=1),
     PAR_FILE, "PAR-11", "options", "ne rapportent pas de crédit"),
    ("multi-choice with nine options", nine_options,
     PAR_FILE, "PAR-11", "options", "à choix multiples doit avoir de 2 à 8 options (9 trouvées)"),
    ("option nc", lambda s: par(s, 11)["options"][3].update(id="nc"),
     PAR_FILE, "PAR-11", "options", "réservée à « Non concerné »"),
    ("choice option without credit", lambda s: s["themes/02-sensibilisation.yaml"]["questions"][1]
     ["options"][0].pop("credit"),
     "themes/02-sensibilisation.yaml", "SEN-02", "options", "l'option « aucun » n'a pas de crédit"),
    ("options on an integer", lambda s: par(s, 1).update(options=[{"id": "a", "label": "A"}] * 2),
     PAR_FILE, "PAR-01", "options", "une question integer ne doit pas avoir d'options"),
    # recommendations and their rules
    ("yes/no without recommendation", lambda s: par(s, 2).pop("recommendation"),
     PAR_FILE, "PAR-02", "recommendation", "champ obligatoire manquant"),
    ("rule without recommendation", lambda s: par(s, 1).update(recommend_if=[{"below": 3}]),
     PAR_FILE, "PAR-01", "recommendation", "champ obligatoire manquant"),
    ("recommendation never triggered", lambda s: par(s, 1).update(
        recommendation=question("X")["recommendation"]),
     PAR_FILE, "PAR-01", "recommendation", "jamais proposée"),
    ("empty rule", lambda s: par(s, 5).update(recommend_if=[{}]),
     PAR_FILE, "PAR-05", "recommend_if[0]", "condition vide"),
    ("rule mixing answer and bound", lambda s: par(s, 5).update(
        recommend_if=[{"answer": "nsp", "below": 3}]),
     PAR_FILE, "PAR-05", "recommend_if[0]", "ne se combinent pas"),
    ("rule bound as text", lambda s: par(s, 5).update(recommend_if=[{"below": "25"}]),
     PAR_FILE, "PAR-05", "recommend_if[0].below", "doit être un nombre"),
    ("rule with unknown priority", lambda s: par(s, 5)["recommend_if"][0].update(priority="vite"),
     PAR_FILE, "PAR-05", "recommend_if[0].priority", "valeur 'vite' inconnue"),
    ("bound on a yes/no rule", lambda s: par(s, 2).update(recommend_if=[{"below": 1}]),
     PAR_FILE, "PAR-02", "recommend_if[0].below", "ne s'applique pas à une question yes_no"),
    ("rule on an unknown option", lambda s: par(s, 11).update(recommend_if=[{"answer": "rien"}]),
     PAR_FILE, "PAR-11", "recommend_if[0].answer[0]", "réponse « rien » impossible"),
    ("rule on nc not offered", lambda s: par(s, 2).update(recommend_if=[{"answer": ["non", "nc"]}]),
     PAR_FILE, "PAR-02", "recommend_if[0].answer[1]", "réponse « nc » impossible"),
    # shown_if
    ("shown_if unknown question", lambda s: par(s, 3)["shown_if"].update(question="PAR-99"),
     PAR_FILE, "PAR-03", "shown_if.question", "question « PAR-99 » inconnue"),
    ("shown_if later question", lambda s: par(s, 3)["shown_if"].update(question="PAR-04"),
     PAR_FILE, "PAR-03", "shown_if.question", "« PAR-04 » doit être posée avant"),
    ("shown_if itself", lambda s: par(s, 3)["shown_if"].update(question="PAR-03"),
     PAR_FILE, "PAR-03", "shown_if.question", "doit être posée avant"),
    ("shown_if other level", lambda s: par(s, 3)["shown_if"].update(question="GOV-01"),
     PAR_FILE, "PAR-03", "shown_if.question", "« GOV-01 » est de niveau 1"),
    ("shown_if impossible answer", lambda s: par(s, 3)["shown_if"].update(answer="peut"),
     PAR_FILE, "PAR-03", "shown_if.answer[0]", "PAR-02 : réponse « peut » impossible"),
    ("shown_if bound on yes/no", lambda s: par(s, 3).update(
        shown_if={"question": "PAR-02", "above": 0}),
     PAR_FILE, "PAR-03", "shown_if.above", "ne s'applique pas à une question yes_no"),
    ("shown_if without question", lambda s: par(s, 3)["shown_if"].pop("question"),
     PAR_FILE, "PAR-03", "shown_if.question", "champ obligatoire manquant"),
    # sub-themes
    ("unknown subtheme", lambda s: s[GOV_FILE]["questions"][0].update(subtheme="GOV-XX"),
     GOV_FILE, "GOV-01", "subtheme", "sous-thème « GOV-XX » absent du thème (sous-thèmes : aucun)"),
    ("question without its theme's subtheme", apl_question_without_subtheme,
     APL_FILE, "APL-01", "subtheme", "le thème a des sous-thèmes (APL-ACH, APL-RGPD)"),
    # indicators
    ("formula names an unknown question", lambda s: formula(s, 0).update(part="PAR-99"),
     INDICATORS_FILE, "part-louee", "formula.part[0]", "question « PAR-99 » inconnue"),
    ("formula reads a yes/no answer", lambda s: formula(s, 1).update(numerator=["PAR-02"]),
     INDICATORS_FILE, "postes-par-agent", "formula.numerator[0]", "n'est pas numérique (yes_no)"),
    ("sum of years", lambda s: formula(s, 2).update(of=["PAR-08"]),
     INDICATORS_FILE, "depense", "formula.of[0]", "seule une moyenne"),
    ("sum of unlike quantities", lambda s: formula(s, 2).update(of=["PAR-06", "PAR-07"]),
     INDICATORS_FILE, "depense", "formula.of[1]", "grandeurs différentes"),
    ("share not in %", lambda s: ind(s, 0).update(unit="postes"),
     INDICATORS_FILE, "part-louee", "formula", "l'unité doit être « % »"),
    ("share without whole", lambda s: formula(s, 0).pop("whole"),
     INDICATORS_FILE, "part-louee", "formula.whole", "champ obligatoire pour une formule share"),
    ("operand of another kind", lambda s: formula(s, 2).update(part=["PAR-06"]),
     INDICATORS_FILE, "depense", "formula.part", "inutilisé par une formule sum (champs : of)"),
    ("question twice in a formula", lambda s: formula(s, 3).update(of=["PAR-08", "PAR-08"]),
     INDICATORS_FILE, "annee-moyenne", "formula.of", "question « PAR-08 » en double"),
    ("count without condition", lambda s: formula(s, 4).pop("where"),
     INDICATORS_FILE, "pratiques", "formula.where", "une formule count exige une condition"),
    ("condition on a sum", lambda s: formula(s, 2).update(where={"answer": "oui"}),
     INDICATORS_FILE, "depense", "formula.where", "seule une formule count prend where"),
    ("count condition impossible", lambda s: formula(s, 4).update(where={"answer": "tous"}),
     INDICATORS_FILE, "pratiques", "formula.where.answer[0]", "GOV-01 : réponse « tous »"),
    ("unknown formula kind", lambda s: formula(s, 2).update(kind="product"),
     INDICATORS_FILE, "depense", "formula.kind", "valeur 'product' inconnue"),
    ("unknown direction", lambda s: ind(s, 2).update(direction="up"),
     INDICATORS_FILE, "depense", "direction", "valeur 'up' inconnue"),
    ("duplicate indicator", lambda s: ind(s, 1).update(id="part-louee"),
     INDICATORS_FILE, "part-louee", "id", "identifiant en double"),
    ("malformed indicator id", lambda s: ind(s, 1).update(id="Postes_Agent"),
     INDICATORS_FILE, "Postes_Agent", "id", "minuscules, chiffres et tirets"),
    ("threshold without source", lambda s: ind(s, 1)["threshold"].pop("source"),
     INDICATORS_FILE, "postes-par-agent", "threshold.source", "champ obligatoire manquant"),
    ("threshold http link", lambda s: ind(s, 4)["threshold"].update(url="http://a.fr/"),
     INDICATORS_FILE, "pratiques", "threshold.url", "non https"),
    ("unknown indicators file key", lambda s: s[INDICATORS_FILE].update(notes="x"),
     INDICATORS_FILE, None, "notes", "champ inconnu"),
    ("indicators not a list", lambda s: s.update({INDICATORS_FILE: {"indicators": "x"}}),
     INDICATORS_FILE, None, "indicators", "doit être une liste"),
]
# fmt: on


def test_typed_fixture_is_valid(tmp_path: Path) -> None:
    assert check_referential(write_referential(tmp_path, typed_spec())) == []


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
    spec = typed_spec()
    mutate(spec)
    errors = check_referential(write_referential(tmp_path, spec))
    located = [(e.file, e.item_id, e.field) for e in errors]
    assert (file, item_id, field) in located, errors
    error = errors[located.index((file, item_id, field))]
    assert fragment in error.message, error
    with pytest.raises(ReferentialError):
        load_referential(tmp_path)


def test_typed_questions_load_with_their_shape(tmp_path: Path) -> None:
    ref = build_referential(tmp_path, typed_spec())
    assert {q.answer_type for q in ref.questions} == set(AnswerType)
    computers, share, amount = (
        ref.question("PAR-01"),
        ref.question("PAR-05"),
        ref.question("PAR-06"),
    )
    assert (computers.unit_label(), computers.bounds()) == ("postes", (Decimal(0), Decimal(100000)))
    assert (share.unit_label(), share.bounds()) == ("%", (Decimal(0), Decimal(100)))
    assert (amount.unit_label(), amount.not_applicable) == ("€", True)
    assert ref.question("PAR-08").bounds() == (Decimal(1900), Decimal(2100))
    assert ref.question("PAR-10").bounds() == (None, None)
    assert [r.priority for r in share.recommend_if] == ["prioritaire", None]
    assert ref.question("PAR-03").shown_if is not None
    assert ref.level_questions(2)[0].id == "PAR-01"
    assert [i.id for i in ref.indicators] == [
        "part-louee",
        "postes-par-agent",
        "depense",
        "annee-moyenne",
        "pratiques",
    ]
    assert ref.indicator("postes-par-agent").threshold is not None
    with pytest.raises(KeyError):
        ref.indicator("nope")


def test_bounds_are_exact_decimals(tmp_path: Path) -> None:
    spec = typed_spec()
    spec[PAR_FILE]["questions"][6].update(min=0.1, example="0,1 Go")
    assert build_referential(tmp_path, spec).question("PAR-07").min == Decimal("0.1")


def test_locked_level_two_theme_may_hold_questions(tmp_path: Path) -> None:
    spec = typed_spec()
    spec[APL_FILE]["questions"].append(typed("APL-01", "integer", example="3", subtheme="APL-RGPD"))
    ref = build_referential(tmp_path, spec)
    assert [q.id for q in ref.level_questions(2)][-1] == "PAR-12"  # locked: not offered
    assert ref.level_questions(2, include_locked=True)[-1].subtheme == "APL-RGPD"


def test_french_date() -> None:
    assert french_date("15/03/2027") is not None
    assert french_date("15/3/2027") is None


TYPED_PATHS = [path for path in spec_paths(typed_spec()) if path[0] in (PAR_FILE, INDICATORS_FILE)]


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(TYPED_PATHS), value=YAML_VALUES)
def test_any_value_in_the_new_schema_gives_errors_never_a_crash(
    path: tuple[Any, ...], value: Any
) -> None:
    spec = typed_spec()
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
