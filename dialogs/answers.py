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
from dialogs.records import ItemStatus, ScoreRecord
from referential.models import AnswerType, Question
from referential.scoring import credit, is_valid_answer, score


def answer_label(tr: Translator, q: Question, value: str | None) -> str:
    """How an answer to `q` reads: « Oui », an option's label, or « sans réponse »."""
    if value is None:
        return tr.gettext("sans réponse")
    if q.answer_type is AnswerType.CHOICE:
        return next((o.label for o in q.options if o.id == value), value)
    return ui.answer_label(tr, value)


def record_answer(ctx: Ctx, q: Question, value: str | None) -> bool:
    """Store (or clear, with None) the speaker's collectivité's answer to `q`, in this transaction.

    Returns False when nothing changed (same answer, or the speaker has no collectivité). The caller
    validates `value` first: an answer `q` does not accept is a programming error (ValueError).
    """
    if value is not None and not is_valid_answer(q, value):
        raise ValueError(f"{value!r} does not answer {q.id}")
    member = ctx.member()
    if member is None:
        return False
    collectivite_id = member.collectivite.id
    changed = ctx.store.answers.set(
        collectivite_id,
        q.id,
        value,
        referential_version=ctx.ref.version,
        user_id=ctx.user.id,
        now=ctx.now,
    )
    if not changed:
        return False
    save_score(ctx, collectivite_id, ctx.store.answers.of(collectivite_id))
    if value is not None:
        _sync_plan(ctx, collectivite_id, q, value)
    return True


def save_score(ctx: Ctx, collectivite_id: int, answers: dict[str, str]) -> None:
    s = score(ctx.ref, answers)  # exact integer arithmetic, rounded half up
    ctx.store.answers.record_score(
        collectivite_id,
        ScoreRecord(s.index, s.grade, s.progress.answered, s.progress.total),
        user_id=ctx.user.id,
        now=ctx.now,
    )


def _sync_plan(ctx: Ctx, collectivite_id: int, q: Question, value: str) -> None:
    plan = ctx.store.plan
    item = plan.item_for_question(collectivite_id, q.id)
    if credit(ctx.ref, q, value) >= 1:
        if item is not None and item.status != ItemStatus.REALISE:
            plan.update_item(
                item.id, {"status": ItemStatus.REALISE}, actor_id=ctx.user.id, now=ctx.now
            )
            if ctx.out.toast is None:
                ctx.toast(ctx._("Action du plan marquée réalisée."))
        return
    if item is None:
        plan.create_item(collectivite_id, q.id, actor_id=ctx.user.id, now=ctx.now)
    elif item.status == ItemStatus.REALISE:
        plan.update_item(
            item.id, {"status": ItemStatus.A_FAIRE}, actor_id=ctx.user.id, now=ctx.now
        )
        if ctx.out.toast is None:
            ctx.toast(ctx._("Action du plan rouverte."))
