"""Small, valid referentials written to a folder, to be broken one rule at a time in tests.

`valid_spec()` returns plain data keyed by file name (relative to the data folder); tests change
one value, then `write_referential()` writes it as YAML (a `str` value is written verbatim, to test
YAML syntax errors). Fixture weights: level-1 questions weigh 3 + 2 + 1 per theme, 12 in total.

    GOV (order 1): GOV-01 prioritaire, GOV-02 nécessaire, GOV-03 recommandée
    SEN (order 2): SEN-01 prioritaire, SEN-02 nécessaire (choice), SEN-03 recommandée
    APL (order 99): level 2, locked, no question

`typed_spec()` adds a level-2 theme PAR (order 3, unlocked) with one question of every typed answer
type, conditions and recommendation rules, and an `indicators.yaml` with one formula of each kind:

    PAR-01 integer  ordinateurs (postes, 0..100 000)   PAR-07 decimal   stockage (Go)
    PAR-02 yes_no   loue du matériel ?                PAR-08 year      achat du plus ancien poste
    PAR-03 integer  postes loués, shown_if PAR-02 oui  PAR-09 date      dernier nettoyage
    PAR-04 integer  agents (min 1)                     PAR-10 text      fonction du référent (nom)
    PAR-05 percent  part réemployée, rules <25 / <50   PAR-11 multi     labels exigés, rule: aucun
    PAR-06 amount   dépense, not_applicable            PAR-12 year      achat du plus récent poste
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from referential.loader import load_referential
from referential.models import Referential

GOV_FILE = "themes/01-gouvernance.yaml"
SEN_FILE = "themes/02-sensibilisation.yaml"
APL_FILE = "themes/99-aller-plus-loin.yaml"

CHOICE_OPTIONS = [
    {"id": "aucun", "label": "Aucun", "credit": 0},
    {"id": "quart", "label": "Un quart environ", "credit": 0.25},
    {"id": "moitie", "label": "La moitié environ", "credit": 0.5},
    {"id": "tous", "label": "Tous", "credit": 1},
    {"id": "nsp", "label": "Je ne sais pas", "credit": 0},
]


def question(
    qid: str,
    priority: str = "prioritaire",
    objectives: tuple[str, ...] = ("O1",),
    definitions: tuple[str, ...] = (),
    **overrides: Any,
) -> dict[str, Any]:
    """A valid yes/no question; `overrides` replace or add keys."""
    data: dict[str, Any] = {
        "id": qid,
        "text": f"La collectivité applique-t-elle la mesure {qid} ?",
        "answer_type": "yes_no",
        "help": f"Explication de la mesure {qid} pour une personne non spécialiste.",
        "definitions": list(definitions),
        "priority": priority,
        "decree_objectives": list(objectives),
        "recommendation": {
            "title": f"Mettre en place la mesure {qid}",
            "why": "Parce que cette mesure réduit l'empreinte du numérique de la collectivité.",
            "how": "Commencer par un état des lieux, puis désigner une personne pour la suivre.",
            "resources": [
                {"title": "Guide de bonnes pratiques", "url": "https://example.org/guide.pdf"}
            ],
        },
    }
    data.update(overrides)
    return data


_SPEC: dict[str, Any] = {
    "meta.yaml": {
        "version": "1.0.0",
        "date": datetime.date(2026, 11, 23),
        "grades": [
            {"letter": "A", "min": 80},
            {"letter": "B", "min": 60},
            {"letter": "C", "min": 40},
            {"letter": "D", "min": 20},
            {"letter": "E", "min": 0},
        ],
        "weights": {"prioritaire": 3, "necessaire": 2, "recommandee": 1},
        "answer_credits": {"oui": 1.0, "non": 0.0, "nsp": 0.0},
        "decree_objectives": [
            {"id": f"O{n}", "title": f"Objectif numéro {n} du décret"} for n in range(1, 7)
        ],
    },
    "glossary.yaml": {
        "terms": [
            {"id": "referent-nr", "term": "Référent NR", "definition": "La personne qui pilote."},
            {"id": "ecolabel", "term": "Écolabel", "definition": "Un label environnemental."},
            {"id": "reemploi", "term": "Réemploi", "definition": "Donner une seconde vie."},
        ]
    },
    GOV_FILE: {
        "theme": {
            "id": "GOV",
            "title": "Gouvernance",
            "level": 1,
            "order": 1,
            "locked": False,
            "intro": "Qui pilote la démarche et avec quels moyens.",
        },
        "questions": [
            question("GOV-01", "prioritaire", ("O1", "O4"), ("referent-nr",)),
            question("GOV-02", "necessaire", ("O2",)),
            question("GOV-03", "recommandee", ("O3",), ("ecolabel", "reemploi")),
        ],
    },
    SEN_FILE: {
        "theme": {
            "id": "SEN",
            "title": "Sensibilisation",
            "level": 1,
            "order": 2,
            "locked": False,
            "intro": "Former et sensibiliser les élus et les agents.",
        },
        "questions": [
            question("SEN-01", "prioritaire", ("O4", "O5")),
            question(
                "SEN-02",
                "necessaire",
                ("O6",),
                text="Quelle part des agents a été sensibilisée ?",
                answer_type="choice",
                options=copy.deepcopy(CHOICE_OPTIONS),
            ),
            question("SEN-03", "recommandee", ("O5",)),
        ],
    },
    APL_FILE: {
        "theme": {
            "id": "APL",
            "title": "Pour aller plus loin",
            "level": 2,
            "order": 99,
            "locked": True,
            "intro": "Des thèmes plus avancés, bientôt disponibles.",
            "subthemes": [
                {"id": "APL-ACH", "title": "Achat responsable"},
                {"id": "APL-RGPD", "title": "Protection des données"},
            ],
        },
        "questions": [],
    },
}


PAR_FILE = "themes/03-parc.yaml"
INDICATORS_FILE = "indicators.yaml"


def typed(qid: str, answer_type: str, **fields: Any) -> dict[str, Any]:
    """A valid level-2 question of `answer_type`, without recommendation unless given."""
    data = question(qid, "necessaire", ("O2",), answer_type=answer_type, **fields)
    data["text"] = f"Quelle est la valeur {qid} ?"
    if "recommendation" not in fields:
        data.pop("recommendation")
    return data


def _rules_recommendation(qid: str) -> dict[str, Any]:
    recommendation: dict[str, Any] = question(qid)["recommendation"]
    return recommendation


_PAR: dict[str, Any] = {
    "theme": {
        "id": "PAR",
        "title": "Gestion du parc (approfondissement)",
        "level": 2,
        "order": 3,
        "intro": "Les chiffres du parc, avec l'aide de votre OPSN.",
    },
    "questions": [
        typed("PAR-01", "integer", unit="postes", max=100000, example="1 200"),
        typed("PAR-02", "yes_no", recommendation=_rules_recommendation("PAR-02")),
        typed(
            "PAR-03",
            "integer",
            unit="postes",
            example="12",
            shown_if={"question": "PAR-02", "answer": "oui"},
        ),
        typed("PAR-04", "integer", min=1, example="35"),
        typed(
            "PAR-05",
            "percent",
            example="35 %",
            recommend_if=[
                {"below": 25, "priority": "prioritaire"},
                {"below": 50},
            ],
            recommendation=_rules_recommendation("PAR-05"),
        ),
        typed("PAR-06", "amount_eur", example="12 500 €", not_applicable=True),
        typed("PAR-07", "decimal", unit="Go", example="1 200,5 Go"),
        typed("PAR-08", "year", example="2019"),
        typed("PAR-09", "date", example="15/03/2027"),
        typed("PAR-10", "text", max_length=80, personal_data=True, example="la DGS"),
        typed(
            "PAR-11",
            "multi_choice",
            options=[
                {"id": "tco", "label": "TCO Certified"},
                {"id": "epeat", "label": "EPEAT"},
                {"id": "ange", "label": "Ange bleu"},
                {"id": "aucun", "label": "Aucun"},
            ],
            recommend_if=[{"answer": "aucun", "priority": "recommandee"}],
            recommendation=_rules_recommendation("PAR-11"),
        ),
        typed("PAR-12", "year", example="2024"),
    ],
}

_INDICATORS: dict[str, Any] = {
    "indicators": [
        {
            "id": "part-louee",
            "title": "Part des postes loués",
            "unit": "%",
            "direction": "higher",
            "formula": {"kind": "share", "part": "PAR-03", "whole": "PAR-01"},
        },
        {
            "id": "postes-par-agent",
            "title": "Postes par agent",
            "unit": "postes par agent",
            "direction": "lower",
            "formula": {"kind": "ratio", "numerator": ["PAR-01"], "denominator": ["PAR-04"]},
            "threshold": {"value": 1.5, "source": "Repère interne de test"},
        },
        {
            "id": "depense",
            "title": "Dépense informatique",
            "unit": "€",
            "direction": "lower",
            "formula": {"kind": "sum", "of": ["PAR-06"]},
        },
        {
            "id": "annee-moyenne",
            "title": "Année d'achat moyenne",
            "unit": "année",
            "direction": "higher",
            "formula": {"kind": "mean", "of": ["PAR-08", "PAR-12"]},
        },
        {
            "id": "pratiques",
            "title": "Pratiques de gouvernance en place",
            "unit": "pratiques",
            "direction": "higher",
            "formula": {
                "kind": "count",
                "of": ["GOV-01", "GOV-02", "GOV-03"],
                "where": {"answer": "oui"},
            },
            "threshold": {
                "value": 2,
                "source": "Décret n° 2023-266 (exemple)",
                "url": "https://www.legifrance.gouv.fr/",
            },
        },
    ]
}


def typed_spec() -> dict[str, Any]:
    """The valid fixture plus the level-2 theme PAR and the indicators (see the module doc)."""
    spec = valid_spec()
    spec[PAR_FILE] = copy.deepcopy(_PAR)
    spec[INDICATORS_FILE] = copy.deepcopy(_INDICATORS)
    return spec


def valid_spec() -> dict[str, Any]:
    """A fresh deep copy of the valid fixture, safe to mutate."""
    return copy.deepcopy(_SPEC)


def write_referential(root: Path, spec: Mapping[str, Any] | None = None) -> Path:
    """Write `spec` (default: the valid fixture) under `root`; return `root`."""
    for name, content in (valid_spec() if spec is None else spec).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
            path.write_text(text, encoding="utf-8")
    (root / "themes").mkdir(parents=True, exist_ok=True)
    return root


def build_referential(root: Path, spec: Mapping[str, Any] | None = None) -> Referential:
    """Write then load a referential (raises `ReferentialError` if `spec` is invalid)."""
    return load_referential(write_referential(root, spec))


# Any value YAML can hold, to put anywhere in a spec: the loader must report it, never crash.
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)


def spec_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path of a spec, so any value can be replaced."""
    children: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    found = [(*prefix, key) for key, _ in children]
    for key, child in children:
        found.extend(spec_paths(child, (*prefix, key)))
    return found
