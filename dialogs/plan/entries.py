"""How any plan item reads, whatever its origin: title, theme, priority, label, origin.

A referential item takes all of these from its question; an action the team added itself, or that
its OPSN proposed, carries its own. Every screen, message, document and page goes through these
helpers, so an item without a question renders everywhere.

Priorities are compared as referential weights (`Referential.weights`: the heavier, the more
urgent); an own action stores the weight of the priority it was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dialogs.i18n import Translator
from dialogs.plan.sync import plan_questions
from dialogs.records import ActionItemInfo, ItemOrigin
from referential.models import Priority, Question, Referential
from referential.scoring import recommendation_priority

Answers = Mapping[str, str]
# Own actions' stable labels: a letter of their origin and the item's id (never reused).
NUMBER_PREFIX = {ItemOrigin.TEAM: "E", ItemOrigin.OPSN: "O"}


def is_own(item: ActionItemInfo) -> bool:
    """An action without a question: the team's own, or proposed by its OPSN."""
    return item.question_id is None


def item_question(item: ActionItemInfo, ref: Referential) -> Question | None:
    """The question of a referential item, if the referential (still) has it."""
    qid = item.question_id
    return ref.question(qid) if qid is not None and ref.has_question(qid) else None


def plan_number(ref: Referential, question_id: str) -> int:
    """An action's stable number: its question's place in the referential. Marking actions done or
    filtering the list never moves it, so « n° 12 » means the same action in chat, page and files."""
    return next((i for i, q in enumerate(ref.questions, start=1) if q.id == question_id), 0)


def item_number(item: ActionItemInfo, ref: Referential) -> str:
    """The label shown before the title in lists: the question's number for a referential item,
    « E<id> » for the team's own action, « O<id> » for one its OPSN proposed."""
    if item.question_id is None:
        return f"{NUMBER_PREFIX.get(item.origin, 'E')}{item.id}"
    return str(plan_number(ref, item.question_id))


def item_title(item: ActionItemInfo, ref: Referential) -> str:
    if item.title:
        return item.title
    q = item_question(item, ref)
    if q is None:
        return item.question_id or "—"
    return q.recommendation.title if q.recommendation is not None else q.text


def item_theme_id(item: ActionItemInfo, ref: Referential) -> str | None:
    if item.question_id is None:
        return item.theme_id
    q = item_question(item, ref)
    return q.theme if q is not None else None


def item_theme_title(item: ActionItemInfo, ref: Referential) -> str:
    """The theme's title, or "" when the item has none (or names a theme no longer known)."""
    theme = item_theme_id(item, ref)
    return ref.theme(theme).title if theme is not None and theme in theme_ids(ref) else ""


def theme_ids(ref: Referential) -> frozenset[str]:
    return frozenset(t.id for t in ref.themes)


def weight_priority(ref: Referential, weight: int) -> Priority:
    """The priority whose weight is closest to `weight` (an own action stores a weight)."""
    return min(Priority, key=lambda p: (abs(ref.weights[p] - weight), -ref.weights[p]))


def item_priority_level(
    item: ActionItemInfo, ref: Referential, answers: Answers | None = None
) -> Priority:
    """The priority the item is shown with. A referential item takes the one its answer opened it
    with (a level-2 `recommend_if` rule may set its own; `answers` tell which fired), else its
    question's; an own action, the one it was given."""
    if item.question_id is None:
        return weight_priority(ref, item.priority or min(ref.weights.values()))
    q = item_question(item, ref)
    if q is None:
        return Priority.RECOMMANDEE
    return question_priority(ref, q, answers)


def question_priority(ref: Referential, q: Question, answers: Answers | None = None) -> Priority:
    """The priority `q`'s recommendation is open with: the first `recommend_if` rule its answer
    meets may set its own, else the question's."""
    if answers is not None and q.recommend_if:
        return recommendation_priority(ref, q, answers.get(q.id)) or q.priority
    return q.priority


def item_priority(item: ActionItemInfo, ref: Referential, answers: Answers | None = None) -> int:
    """The item's priority as a weight (heavier first); see `item_priority_level`."""
    if item.question_id is None and item.priority is not None:
        return item.priority
    return ref.weights[item_priority_level(item, ref, answers)]


def item_origin_label(item: ActionItemInfo, tr: Translator) -> str | None:
    """« Action de l'équipe », « Proposée par <OPSN> », or None for a referential item."""
    if item.origin is ItemOrigin.TEAM:
        return tr.gettext("Action de l’équipe")
    if item.origin is ItemOrigin.OPSN or item.opsn_id is not None:  # or a pushed recommendation
        if item.opsn_name:
            return tr.gettext("Proposée par {opsn}").format(opsn=item.opsn_name)
        return tr.gettext("Proposée par votre OPSN")
    return None


def is_shown(item: ActionItemInfo, ref: Referential) -> bool:
    """Own actions always; a referential item while its question is in the plan's questionnaire."""
    return item.question_id is None or item.question_id in {q.id for q in plan_questions(ref)}


def ordered(
    ref: Referential, items: Iterable[ActionItemInfo], answers: Answers | None = None
) -> list[ActionItemInfo]:
    """Priority first (heaviest weight), then the referential's order, own actions after the
    referential's of the same priority (oldest first); items whose question left the
    questionnaire are not shown."""
    position = {q.id: i for i, q in enumerate(plan_questions(ref))}
    kept = [item for item in items if item.question_id is None or item.question_id in position]

    def key(item: ActionItemInfo) -> tuple[int, int, int]:
        place = position[item.question_id] if item.question_id is not None else item.id
        return (-item_priority(item, ref, answers), int(item.question_id is None), place)

    return sorted(kept, key=key)
