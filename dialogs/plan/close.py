"""Closing the loop: an action marked réalisé offers to set its answer to « oui » (or the
full-credit option). Nothing changes the answer without that one-tap confirmation, and the answer
is then recorded the one way answers are (dialogs.answers: stored, re-scored, plan kept in step)."""

from __future__ import annotations

from dialogs import ui
from dialogs.answers import answer_label, record_answer
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.buttons import ConfirmAnswer, KeepAnswer
from dialogs.plan.cards import back_to_list, load_item
from dialogs.plan.entries import item_question
from dialogs.questionnaire.buttons import ScoreButton
from dialogs.records import ActionItemInfo, ItemStatus
from dialogs.router import Router
from referential.kinds import SCORED_TYPES
from referential.models import AnswerType, Question
from referential.scoring import credit, score

router = Router()


def full_credit_value(q: Question) -> str:
    if q.answer_type is AnswerType.CHOICE:
        return next(o.id for o in q.options if o.credit >= 1)
    return "oui"


def offer_answer_update(ctx: Ctx, item: ActionItemInfo) -> None:
    """Propose (never impose) the answer that matches a done action (an own action has no
    answer to update)."""
    _ = ctx._
    q = item_question(item, ctx.ref)
    if q is None or q.answer_type not in SCORED_TYPES:
        return  # a figure or a date: only the person knows the new value (/niveau2)
    answers = ctx.store.answers.of(item.collectivite_id)
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
            old=answer_label(ctx.tr, q, current),
            new=answer_label(ctx.tr, q, target),
            before=before,
            after=after,
        ),
        ui.confirm_rows(
            ctx.tr,
            ConfirmAnswer(item.id),
            KeepAnswer(item.id),
            yes_label=_("Oui, mettre à jour"),
            no_label=_("Non, la garder"),
        ),
    )


@router.button(ConfirmAnswer)
def confirm_answer(ctx: Ctx, event: Event, data: ConfirmAnswer) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    if item.status is not ItemStatus.REALISE:
        ctx.say(
            _("Cette action n’est plus marquée réalisée : la réponse n’a pas été modifiée."),
            edit=True,
        )
        return
    q = item_question(item, ctx.ref)
    if q is None:  # a forged button on an own action: there is no answer to update
        ctx.say(_("Cette action n’a pas de réponse à mettre à jour."), edit=True)
        return
    answers = ctx.store.answers.of(item.collectivite_id)
    current = answers.get(q.id)
    if q.answer_type not in SCORED_TYPES or (
        current is not None and credit(ctx.ref, q, current) >= 1
    ):
        ctx.say(_("La réponse est déjà à jour."), edit=True)
        return
    target = full_credit_value(q)
    before = score(ctx.ref, answers).index
    record_answer(ctx, q, target)
    now_score = score(ctx.ref, ctx.store.answers.of(item.collectivite_id))
    ctx.say(
        _(
            "Réponse mise à jour : {answer}. Indice de maturité : {before} → {after}/100 (lettre {grade})."
        ).format(
            answer=answer_label(ctx.tr, q, target),
            before=before,
            after=now_score.index,
            grade=now_score.grade,
        ),
        ((ui.button(_("Voir mon score"), ScoreButton()), back_to_list(ctx)),),
        edit=True,
    )


@router.button(KeepAnswer)
def keep_answer(ctx: Ctx, event: Event, data: KeepAnswer) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    q = item_question(item, ctx.ref)
    if q is None:
        ctx.say(ctx._("Cette action n’a pas de réponse à mettre à jour."), edit=True)
        return
    answers = ctx.store.answers.of(item.collectivite_id)
    ctx.say(
        ctx._("D’accord : la réponse reste « {answer} ».").format(
            answer=answer_label(ctx.tr, q, answers.get(q.id))
        ),
        edit=True,
    )
