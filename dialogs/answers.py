"""Recording an answer: store it → re-score → keep the action plan in step, in one place.

The questionnaire and closing an action (dialogs.plan.close) both change answers; both go through
`record_answer`, so the score history and the plan never drift from the answers.

Plan rule: a « non », « je ne sais pas » or partial choice opens (or reopens) the question's item; a
full-credit answer closes it as réalisé. An item the team set aside (« non retenu ») stays aside on a
new « non ». Clearing an answer leaves the item as the team left it.
"""

from __future__ import annotations

from dialogs import ui
from dialogs.context import Ctx
from dialogs.i18n import Translator
from dialogs.ports import PlanMove
from dialogs.records import ScoreRecord
from referential.kinds import NOT_APPLICABLE
from referential.models import AnswerType, Question
from referential.scoring import Score, credit, is_valid_answer, score


def answer_label(tr: Translator, q: Question, value: str | None) -> str:
    """How an answer to `q` reads: « Oui », an option's label, or « sans réponse »."""
    if value is None:
        return tr.gettext("sans réponse")
    if value == NOT_APPLICABLE:
        return ui.answer_label(tr, value)  # « Non concerné », whatever the question's type
    if q.answer_type is AnswerType.CHOICE:
        return next((o.label for o in q.options if o.id == value), value)
    return ui.answer_label(tr, value)


def record_answer(ctx: Ctx, q: Question, value: str | None) -> Score | None:
    """Store (or clear, with None) the speaker's collectivité's answer to `q`, in this transaction.

    Returns the new score (computed once, here: callers reuse it), or None when nothing changed
    (same answer, or the speaker has no collectivité). The caller validates `value` first: an
    answer `q` does not accept is a programming error (ValueError).
    """
    if value is not None and not is_valid_answer(q, value):
        raise ValueError(f"{value!r} does not answer {q.id}")
    member = ctx.member()
    if member is None:
        return None
    collectivite_id = member.collectivite.id
    answers = ctx.store.answers.of(collectivite_id)
    if answers.get(q.id) == value:
        return None
    if value is None:
        del answers[q.id]
    else:
        answers[q.id] = value
    s = score(ctx.ref, answers)  # exact integer arithmetic, rounded half up
    changed = ctx.store.answers.set(
        collectivite_id,
        q.id,
        value,
        referential_version=ctx.ref.version,
        user_id=ctx.user.id,
        now=ctx.now,
        score=ScoreRecord(s.index, s.grade, s.progress.answered, s.progress.total),
    )
    if not changed:
        return None
    if value is not None and value != NOT_APPLICABLE:  # « Non concerné » opens nothing
        _sync_plan(ctx, collectivite_id, q, value)
    return s


def _sync_plan(ctx: Ctx, collectivite_id: int, q: Question, value: str) -> None:
    moved = ctx.store.plan.follow_answer(
        collectivite_id,
        q.id,
        settled=credit(ctx.ref, q, value) >= 1,
        actor_id=ctx.user.id,
        now=ctx.now,
    )
    if ctx.out.toast is not None:
        return
    if moved is PlanMove.CLOSED:
        ctx.toast(ctx._("Action du plan marquée réalisée."))
    elif moved is PlanMove.REOPENED:
        ctx.toast(ctx._("Action du plan rouverte."))
