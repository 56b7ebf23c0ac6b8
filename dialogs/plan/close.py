"""Closing the loop: an action marked réalisé offers to set its answer to « oui » (or the
full-credit option). Nothing changes the answer without that one-tap confirmation."""

from __future__ import annotations

from dialogs import ui
from dialogs.context import Ctx
from dialogs.plan.cards import back_to_list, load_item
from dialogs.plan.ports import REALISE, ActionItemInfo
from dialogs.replies import Button
from referential.models import AnswerType, Question
from referential.scoring import credit, score


def full_credit_value(q: Question) -> str:
    if q.answer_type is AnswerType.CHOICE:
        return next(o.id for o in q.options if o.credit >= 1)
    return "oui"


def answer_words(ctx: Ctx, q: Question, value: str | None) -> str:
    if value is None:
        return ctx._("sans réponse")
    if q.answer_type is AnswerType.CHOICE:
        return next((o.label for o in q.options if o.id == value), value)
    return ui.answer_label(ctx.tr, value)


async def offer_answer_update(ctx: Ctx, item: ActionItemInfo) -> None:
    """Closing the loop: propose (never impose) the answer that matches a done action."""
    _ = ctx._
    q = ctx.ref.question(item.question_id)
    answers = await ctx.store.answers(item.collectivite_id)
    current = answers.get(q.id)
    if current is not None and credit(ctx.ref, q, current) >= 1:
        return
    target = full_credit_value(q)
    before = score(ctx.ref, answers).index
    after = score(ctx.ref, {**answers, q.id: target}).index
    ctx.say(
        _(
            "Bravo ! Mettre à jour la réponse à la question « {question} » : {old} → {new} ?\n"
            "L’indice de maturité passerait de {before} à {after}/100."
        ).format(
            question=q.text,
            old=answer_words(ctx, q, current),
            new=answer_words(ctx, q, target),
            before=before,
            after=after,
        ),
        (
            (Button(_("Oui, mettre à jour la réponse"), f"p:y:{item.id}"),),
            (Button(_("Non, garder la réponse"), f"p:n:{item.id}"),),
        ),
    )


async def confirm_answer(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    _ = ctx._
    if item.status != REALISE:
        ctx.say(
            _("Cette action n’est plus marquée réalisée : la réponse n’a pas été modifiée."),
            edit=True,
        )
        return
    from dialogs.questionnaire.questions import (
        save_score,  # late import: the questionnaire imports the plan
    )

    q = ctx.ref.question(item.question_id)
    answers = await ctx.store.answers(item.collectivite_id)
    current = answers.get(q.id)
    if current is not None and credit(ctx.ref, q, current) >= 1:
        ctx.say(_("La réponse est déjà à jour."), edit=True)
        return
    target = full_credit_value(q)
    before = score(ctx.ref, answers).index
    await ctx.store.set_answer(
        item.collectivite_id,
        q.id,
        target,
        referential_version=ctx.ref.version,
        user_id=ctx.user.id,
        now=ctx.now,
    )
    answers = await ctx.store.answers(item.collectivite_id)
    await save_score(ctx, item.collectivite_id, answers)
    now_score = score(ctx.ref, answers)
    ctx.say(
        _(
            "Réponse mise à jour : {answer}. Indice de maturité : {before} → {after}/100 (lettre {grade})."
        ).format(
            answer=answer_words(ctx, q, target),
            before=before,
            after=now_score.index,
            grade=now_score.grade,
        ),
        ((Button(_("Voir mon score"), "r:score"), back_to_list(ctx)),),
        edit=True,
    )


async def keep_answer(ctx: Ctx, args: list[str]) -> None:
    item = await load_item(ctx, args[0] if args else "")
    if item is None:
        return
    q = ctx.ref.question(item.question_id)
    answers = await ctx.store.answers(item.collectivite_id)
    ctx.say(
        ctx._("D’accord : la réponse reste « {answer} ».").format(
            answer=answer_words(ctx, q, answers.get(q.id))
        ),
        edit=True,
    )
