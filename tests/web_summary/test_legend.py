"""The page's legend is read from the referential: letters E → A with their ranges, the weights of
the priorities, and the scoring rules it states (« non concerné » left out) hold in the code."""

from __future__ import annotations

import re

from dialogs.i18n import translator
from referential.models import Grade, Referential
from referential.scoring import grade, maturity_index
from web_summary.legend import legend, scale


def test_the_scale_is_the_referentials_from_e_to_a(referential: Referential) -> None:
    text = legend(translator("fr"), referential).scale
    found = re.findall(r"([A-Z]) de (\d+) à (\d+)", text)
    lows = sorted(referential.grades, key=lambda g: g.min)
    assert [letter for letter, _, _ in found] == [g.letter for g in lows]  # E → A
    assert [int(low) for _, low, _ in found] == [g.min for g in lows]
    for (letter, low, high), (_, lo, hi) in zip(scale(referential), found, strict=True):
        assert (int(lo), int(hi)) == (low, high)
        assert grade(referential, low) == letter == grade(referential, high)
    assert int(found[-1][2]) == 100


def test_a_new_scale_or_new_weights_change_the_legend(referential: Referential) -> None:
    changed = referential.model_copy(
        update={
            "grades": (
                Grade(letter="A", min=75),
                Grade(letter="B", min=50),
                Grade(letter="C", min=0),
            ),
            "weights": {p: w * 2 for p, w in referential.weights.items()},
        }
    )
    text = legend(translator("fr"), changed)
    assert "C de 0 à 49, B de 50 à 74, A de 75 à 100" in text.scale
    assert "6 points si elle est prioritaire" in text.index
    assert "4 points si elle est nécessaire" in text.index
    assert "2 points si elle est recommandée" in text.index


def test_what_the_legend_says_of_answers_is_what_scoring_does(referential: Referential) -> None:
    text = legend(translator("fr"), referential).index
    assert "3 points si elle est prioritaire, 2 points si elle est nécessaire, 1 point" in text
    # « oui » earns everything, « non » and « je ne sais pas » nothing…
    assert referential.answer_credits == {"oui": 1.0, "non": 0.0, "nsp": 0.0}
    # … and « non concerné » leaves the question out: it neither rewards (like « oui ») nor
    # punishes (like « non »).
    yes_no = [q for q in referential.level_questions(1) if q.answer_type.value == "yes_no"]
    first = next(q for q in yes_no if q.not_applicable)
    others = {q.id: "oui" for q in yes_no if q.id != first.id}

    def index(value: str) -> int:
        return maturity_index(referential, {**others, first.id: value})

    assert index("non") < index("nc") < index("oui") < 100


def test_the_legend_reads_in_english(referential: Referential) -> None:
    text = legend(translator("en"), referential)
    assert text.scale.startswith("Letters, from the least to the most advanced: E from 0 to")
    assert "3 points if its priority is “priority”" in text.index
    assert "1 point if its priority is “recommended”" in text.index
    assert "not applicable" in text.index
