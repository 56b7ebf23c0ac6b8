"""The rendering helpers of plan items: a level-2 item is ranked by the priority of the rule its
answer met, not its question's; own actions by the priority they were given."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.i18n import translator
from dialogs.plan.entries import (
    item_number,
    item_origin_label,
    item_priority,
    item_priority_level,
    item_theme_id,
    item_title,
    ordered,
)
from dialogs.plan.view import Filters
from dialogs.records import ActionItemInfo, ItemOrigin, ItemStatus
from referential.models import Priority, Referential

T = datetime(2026, 11, 23, tzinfo=UTC)


def item(item_id: int, qid: str | None, **own: object) -> ActionItemInfo:
    return ActionItemInfo(
        id=item_id,
        collectivite_id=1,
        question_id=qid,
        status=ItemStatus.A_FAIRE,
        reason="",
        assignee_id=None,
        assignee_name=None,
        due_date=None,
        snoozed_until=None,
        reminders_muted=False,
        created_at=T,
        updated_at=T,
        **own,  # type: ignore[arg-type]
    )


def test_level2_items_rank_by_the_rule_that_fired(referential: Referential) -> None:
    level2 = item(1, "GOV2-01")  # a « prioritaire » question…
    necessary = item(2, "GOV-04")
    answers = {"GOV2-01": "agent", "GOV-04": "non"}  # …whose answer met a « recommandée » rule
    assert item_priority_level(level2, referential) is Priority.PRIORITAIRE  # no answers known
    assert item_priority_level(level2, referential, answers) is Priority.RECOMMANDEE
    assert ordered(referential, [level2, necessary], answers) == [necessary, level2]
    assert ordered(referential, [level2, necessary]) == [level2, necessary]
    assert not Filters(priority="p").keeps(level2, referential, 0, answers)
    assert Filters(priority="r").keeps(level2, referential, 0, answers)


def test_own_actions_render_from_their_own_fields(referential: Referential) -> None:
    theme = referential.level_themes(1)[3].id
    own = item(
        9,
        None,
        origin=ItemOrigin.TEAM,
        title="Trier les câbles",
        theme_id=theme,
        priority=referential.weights[Priority.NECESSAIRE],
    )
    proposed = item(
        10, None, origin=ItemOrigin.OPSN, title="Mutualiser", priority=3, opsn_name="Occitan"
    )
    fr = translator("fr")
    assert (item_title(own, referential), item_theme_id(own, referential)) == (
        "Trier les câbles",
        theme,
    )
    assert (item_number(own, referential), item_number(proposed, referential)) == ("E9", "O10")
    assert item_origin_label(own, fr) == "Action de l’équipe"
    assert item_origin_label(proposed, fr) == "Proposée par Occitan"
    assert item_origin_label(item(3, "GOV-01"), fr) is None
    assert item_priority(own, referential) == referential.weights[Priority.NECESSAIRE]
    assert Filters(theme=theme).keeps(own, referential, 0)
    necessary = item(2, "GOV-04")
    # Same priority: the referential's first, then own actions, oldest first.
    assert ordered(referential, [proposed, own, necessary]) == [proposed, necessary, own]
