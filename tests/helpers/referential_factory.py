"""Small, valid referentials written to a folder, to be broken one rule at a time in tests.

`valid_spec()` returns plain data keyed by file name (relative to the data folder); tests change
one value, then `write_referential()` writes it as YAML (a `str` value is written verbatim, to test
YAML syntax errors). Fixture weights: level-1 questions weigh 3 + 2 + 1 per theme, 12 in total.

    GOV (order 1): GOV-01 prioritaire, GOV-02 nécessaire, GOV-03 recommandée
    SEN (order 2): SEN-01 prioritaire, SEN-02 nécessaire (choice), SEN-03 recommandée
    APL (order 99): level 2, locked, no question
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

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
