"""A collectivité with answers, a plan, a team and a target, arranged on any store for documents."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dialogs.documents.data import RoadmapData, gather
from dialogs.ports import Store, Transaction
from dialogs.records import ItemStatus, NewCollectivite, Role, ScoreRecord
from dialogs.target.reach import full_credit_value
from referential.kinds import AnswerType
from referential.models import Referential
from referential.scoring import score
from tests.helpers.contract import sender

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
SIRET = "21310555400017"


def worst_answers(ref: Referential) -> dict[str, str]:
    """« Non » (or the no-credit option) to every scored level-1 question: the longest plan."""
    answers: dict[str, str] = {}
    for q in ref.level_questions(1):
        if q.answer_type is AnswerType.YES_NO:
            answers[q.id] = "non"
        elif q.answer_type is AnswerType.CHOICE:
            answers[q.id] = min(q.options, key=lambda o: o.credit).id
    return answers


def arrange(
    tx: Transaction,
    ref: Referential,
    *,
    name: str = "Commune de Test",
    function: str = "Secrétaire de mairie",
    answered: bool = True,
    done: int = 2,
    target: bool = True,
    departement: str = "01",
) -> int:
    """Returns the collectivité id; `done` actions are closed réalisé, two have a pilot and a date."""
    store = tx.store
    admin = tx.user_for(sender("adm", "Alice <b>Admin</b>"), NOW).id
    c = store.people.create_collectivite(
        NewCollectivite(SIRET, "commune", name, departement, 1200), admin, NOW
    )
    store.people.set_function(admin, function)
    if not answered:
        return c.id
    answers = worst_answers(ref)
    questions = list(answers)
    for qid in questions[:done]:
        answers[qid] = full_credit_value(ref.question(qid))
    for i, (qid, value) in enumerate(answers.items()):
        s = score(ref, dict(list(answers.items())[: i + 1]))
        record = ScoreRecord(s.index, s.grade, s.progress.answered, s.progress.total)
        store.answers.set(
            c.id, qid, value, referential_version=ref.version, user_id=admin, now=NOW, score=record
        )
        store.plan.follow_answer(
            c.id,
            qid,
            settled=value == full_credit_value(ref.question(qid)),
            actor_id=admin,
            now=NOW,
        )
    for qid in questions[:done]:
        item = store.plan.create_item(c.id, qid, actor_id=admin, now=NOW)
        store.plan.update_item(item.id, {"status": ItemStatus.REALISE}, actor_id=admin, now=NOW)
    for qid, due in ((questions[done], date(2027, 3, 15)), (questions[done + 1], None)):
        item = store.plan.item_for_question(c.id, qid)
        assert item is not None
        store.plan.update_item(
            item.id, {"assignee_id": admin, "due_date": due}, actor_id=admin, now=NOW
        )
    if target:
        store.roadmap.set_target(
            c.id, grade="B", index=None, due_date=date(2027, 6, 30), user_id=admin, now=NOW
        )
    return c.id


def data_of(store: Store, ref: Referential, collectivite_id: int) -> RoadmapData:
    members = store.people.members(collectivite_id)
    admin = next(m for m in members if m.role is Role.ADMIN)
    membership = store.people.membership(admin.user_id)
    assert membership is not None
    return gather(ref, store, membership.collectivite, TODAY)
