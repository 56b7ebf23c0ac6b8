"""The shipped « Pour aller plus loin » area (APL): locked level-2 content, its conditions and the
indicators computed from it. Guards the content against edits that would open it before attachment,
empty a sub-theme, or break the indicators an OPSN reads."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from referential.indicators import ZERO_DENOMINATOR, compute
from referential.loader import default_referential
from referential.models import Referential
from referential.scoring import open_recommendations
from referential.visibility import shown_ids

SUBTHEMES = ("APL-ACH", "APL-RGPD", "APL-CYB", "APL-INC", "APL-TER")


@pytest.fixture(scope="module")
def ref() -> Referential:
    return default_referential()


def test_the_area_stays_locked_until_attachment(ref: Referential) -> None:
    apl = ref.theme("APL")
    assert apl.locked and apl.level == 2
    questions = ref.questions_of("APL")
    assert not set(questions) & set(ref.level_questions(2))  # not offered before attachment
    assert set(questions) <= set(ref.level_questions(2, include_locked=True))
    assert not set(questions) & set(ref.level_questions(1))


def test_every_subtheme_has_eight_or_nine_questions(ref: Referential) -> None:
    questions = ref.questions_of("APL")
    counts = Counter(q.subtheme for q in questions)
    assert tuple(counts) == SUBTHEMES
    assert all(8 <= count <= 9 for count in counts.values()), counts
    assert [q.id for q in questions] == [f"APL-{n:02d}" for n in range(1, len(questions) + 1)]


def test_details_are_asked_only_after_the_answer_they_depend_on(ref: Referential) -> None:
    assert "APL-02" not in shown_ids(ref, {"APL-01": "non"})  # SPASER year: only if adopted
    assert "APL-02" in shown_ids(ref, {"APL-01": "adopte"})
    assert "APL-21" not in shown_ids(ref, {"APL-19": "aucune"})  # no backup: no restore date
    assert "APL-21" in shown_ids(ref, {"APL-19": "horslig", "APL-20": "oui"})
    assert "APL-04" not in shown_ids(ref, {"APL-03": "0"})


def test_gaps_open_recommendations_and_non_concerne_opens_none(ref: Referential) -> None:
    answers = {"APL-10": "non", "APL-23": "4", "APL-33": "40", "APL-41": "nc", "APL-18": "nc"}
    opened = {q.id for q in open_recommendations(ref, answers, 2, include_locked=True)}
    assert {"APL-10", "APL-23", "APL-33"} <= opened
    assert not {"APL-41", "APL-18"} & opened
    assert not {q.id for q in open_recommendations(ref, answers, 2)} & opened  # locked: none
    fine = {"APL-23": "0", "APL-33": "100"}
    assert not {q.id for q in open_recommendations(ref, fine, 2, include_locked=True)} & set(fine)


@pytest.mark.parametrize(
    ("indicator_id", "answers", "expected"),
    [
        ("part-marches-num-clause-env", {"APL-03": "8", "APL-04": "6"}, Fraction(75)),
        ("part-marches-num-clause-sociale", {"APL-03": "8", "APL-05": "2"}, Fraction(25)),
        ("part-agents-sensibilises-cyber", {"APL-24": "12", "APL-25": "9"}, Fraction(75)),
        ("part-contrats-clauses-rgpd", {"APL-15": "8", "APL-16": "8"}, Fraction(100)),
    ],
)
def test_apl_indicators(
    ref: Referential, indicator_id: str, answers: dict[str, str], expected: Fraction
) -> None:
    assert compute(ref, ref.indicator(indicator_id), answers).value == expected


def test_apl_indicators_say_what_is_missing(ref: Referential) -> None:
    missing = compute(ref, ref.indicator("part-agents-sensibilises-cyber"), {"APL-24": "12"})
    assert missing.value is None and missing.missing == ("APL-25",)
    none_bought = compute(ref, ref.indicator("part-marches-num-clause-env"), {"APL-03": "0"})
    assert none_bought.value is None and none_bought.reason == ZERO_DENOMINATOR
