"""The referential as plain JSON-ready data: what `ecoclic referential export --format json` prints.

Numbers from the YAML (bounds, rule values, thresholds) are exact `Decimal`s inside; here they
become JSON integers when whole and JSON numbers otherwise. Each question gives its effective
bounds and unit (a percentage's 0–100 and « % » even when the YAML leaves them implied).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from referential.conditions import Condition
from referential.formulas import Formula, Indicator
from referential.models import Question, Referential

LANGUAGES = ("fr", "en")
# Without an English overlay, `--lang en` gives the French text and says so; with one, the
# questions it does not cover (level 2 may stay French) are listed under "untranslated".
FALLBACK_NOTE = "English text not written yet: texts are in French"
PARTIAL_NOTE = 'Questions listed in "untranslated" are in French'


def export_data(ref: Referential, lang: str = "fr") -> dict[str, Any]:
    """Everything a tool needs: themes, questions with their answer shape, conditions and rules,
    indicators with their formulas, glossary. `lang` is the language asked for: the texts come
    from `ref.translated(lang)`, the French wherever no translation exists."""
    ref = ref.translated(lang)
    data: dict[str, Any] = {
        "version": ref.version,
        "lang": lang,
        "text_lang": ref.lang,
    }
    if lang != ref.lang:
        data["fallback"] = FALLBACK_NOTE
    elif untranslated := [q.id for q in ref.questions if not ref.is_translated(q.id)]:
        data["fallback"] = PARTIAL_NOTE
        data["untranslated"] = untranslated
    data |= {
        "grades": {grade.letter: grade.min for grade in ref.grades},
        "weights": {priority.value: weight for priority, weight in ref.weights.items()},
        "themes": [
            {
                "id": t.id,
                "title": t.title,
                "level": t.level,
                "locked": t.locked,
                "subthemes": [{"id": s.id, "title": s.title} for s in t.subthemes],
            }
            for t in ref.themes
        ],
        "questions": [_question(ref, q) for q in ref.questions],
        "indicators": [_indicator(indicator) for indicator in ref.indicators],
        "glossary": [
            {"id": t.id, "term": t.term, "definition": t.definition} for t in ref.glossary
        ],
    }
    return data


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def condition_data(condition: Condition) -> dict[str, Any]:
    """A condition as written: ``{"answer": [...]}`` or its bounds."""
    if condition.answer:
        return {"answer": list(condition.answer)}
    return {name: json_number(value) for name, value in condition.bounds().items()}


def _question(ref: Referential, q: Question) -> dict[str, Any]:
    low, high = q.bounds()
    rec = q.recommendation
    return {
        "id": q.id,
        "theme": q.theme,
        "subtheme": q.subtheme,
        "level": q.level,
        "text": q.text,
        "help": q.help,
        "answer_type": q.answer_type.value,
        "unit": q.unit_label(),
        "min": json_number(low),
        "max": json_number(high),
        "example": q.example,
        "max_length": q.max_length,
        "options": [{"id": o.id, "label": o.label, "credit": o.credit} for o in q.options],
        "not_applicable": q.not_applicable,
        "personal_data": q.personal_data,
        "shown_if": (
            None
            if q.shown_if is None
            else {"question": q.shown_if.question, **condition_data(q.shown_if)}
        ),
        "priority": q.priority.value,
        "weight": ref.weight(q),
        "transversal": q.transversal,
        "decree_objectives": list(q.decree_objectives),
        "definitions": list(q.definitions),
        "recommend_if": [
            {**condition_data(rule), "priority": (rule.priority or q.priority).value}
            for rule in q.recommend_if
        ],
        "recommendation": None
        if rec is None
        else {
            "title": rec.title,
            "why": rec.why,
            "how": rec.how,
            "resources": [{"title": r.title, "url": r.url} for r in rec.resources],
        },
    }


def _formula(formula: Formula) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": formula.kind.value}
    data |= {field: list(ids) for field, ids in formula.operands().items()}
    if formula.where is not None:
        data["where"] = condition_data(formula.where)
    return data


def _indicator(indicator: Indicator) -> dict[str, Any]:
    threshold = indicator.threshold
    return {
        "id": indicator.id,
        "title": indicator.title,
        "unit": indicator.unit,
        "direction": indicator.direction.value,
        "formula": _formula(indicator.formula),
        "threshold": None
        if threshold is None
        else {
            "value": json_number(threshold.value),
            "source": threshold.source,
            "url": threshold.url,
        },
        "help": indicator.help,
    }
