"""Recording an answer: store it → re-score → keep the action plan in step, in one place.

The questionnaire and closing an action (dialogs.plan.close) both change answers; both go through
`record_answer`, so the score history and the plan never drift from the answers.

Plan rule: an answer that opens the question's recommendation (`referential.scoring.recommends`: a
« non », « je ne sais pas » or partial choice at level 1; the first `recommend_if` rule met at level
2) opens (or reopens) its item; an answer that does not closes it as réalisé. « Non concerné », and
« je ne sais pas » to a question judged by its `recommend_if` rules, tell nothing: the item stays as
the team left it, as do questions without a recommendation. An item the team set aside (« non
retenu ») stays aside on a new « non ». Clearing an answer leaves the item as the team left it.
"""

from __future__ import annotations

from dialogs import ui
from dialogs.context import Ctx
from dialogs.i18n import Translator
from dialogs.plan.notice import tell_admins
from dialogs.ports import PlanMove
from dialogs.records import ScoreRecord
from referential.kinds import DONT_KNOW, NOT_APPLICABLE
from referential.models import AnswerType, Question
from referential.scoring import Score, is_valid_answer, recommends, score


def answer_label(tr: Translator, q: Question, value: str | None) -> str:
    """How an answer to `q` reads: « Oui », an option's label, or « sans réponse »."""
    if value is None:
        return tr.gettext("sans réponse")
    if value == NOT_APPLICABLE:
        return ui.answer_label(tr, value)  # « Non concerné », whatever the question's type
    if q.answer_type is AnswerType.CHOICE:
        return next((o.label for o in q.options if o.id == value), value)
    return ui.answer_label(tr, value)


def record_answer(
    ctx: Ctx, q: Question, value: str | None, *, collectivite_id: int | None = None
) -> Score | None:
    """Store (or clear, with None) the answer to `q` of the speaker's collectivité — or of
    `collectivite_id`, for an OPSN referent answering for it (the caller checked the right) — in
    this transaction. The speaker is recorded as who answered.

    Returns the new level-1 score (computed once, here: callers reuse it; level-2 answers leave it
    as it was), or None when nothing changed (same answer, or the speaker has no collectivité).
    The caller validates `value` first: an answer `q` does not accept is a programming error
    (ValueError).
    """
    if value is not None and not is_valid_answer(q, value):
        raise ValueError(f"{value!r} does not answer {q.id}")
    if collectivite_id is None:
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


def tells_nothing(q: Question, value: str) -> bool:
    """An answer that neither opens nor settles the question's action item."""
    if q.recommendation is None or value == NOT_APPLICABLE:
        return True
    return value == DONT_KNOW and bool(q.recommend_if)


def _sync_plan(ctx: Ctx, collectivite_id: int, q: Question, value: str) -> None:
    if tells_nothing(q, value):
        return
    followed = ctx.store.plan.follow_answer(
        collectivite_id,
        q.id,
        settled=not recommends(ctx.ref, q, value),
        actor_id=ctx.user.id,
        now=ctx.now,
    )
    moved = followed.move
    if moved is PlanMove.CLOSED and followed.others_to_tell:
        tell_admins(ctx, collectivite_id)
    if ctx.out.toast is not None:
        return
    if moved is PlanMove.CLOSED:
        ctx.toast(ctx._("Action du plan marquée réalisée."))
    elif moved is PlanMove.REOPENED:
        ctx.toast(ctx._("Action du plan rouverte."))
