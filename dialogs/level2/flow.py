"""Level 2, one question at a time: answer (buttons or typed), « Pourquoi ? », « Passer »,
« ◀ Précédente », multi-choice toggles, and going back to the question one was on after changing
an earlier answer. Storing goes through dialogs.answers.record_answer (stored with who answered,
plan kept in step); nothing is stored until the answer is valid.
"""

from __future__ import annotations

from dialogs import ui
from dialogs.answers import record_answer
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.level2.buttons import (
    Level2Answer,
    Level2Ask,
    Level2Back,
    Level2Resume,
    Level2Skip,
    Level2Toggle,
    Level2Validate,
    Level2Why,
)
from dialogs.level2.content import (
    is_answered,
    is_level2,
    next_unanswered,
    previous_shown,
    progress_of,
    section_of,
    shown_questions,
)
from dialogs.level2.menu import show_menu
from dialogs.level2.reading import TYPED_TYPES, read_answer
from dialogs.level2.render import answer_text, question_buttons, question_text, reprompt
from dialogs.level2.speaker import Answering, answering_for
from dialogs.parsing import parse_choice, parse_yes_no
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from referential.answers import is_valid_answer, join_options
from referential.kinds import AnswerType
from referential.models import Question
from referential.scoring import recommendation_priority
from referential.visibility import shown_ids

router = Router()

LEVEL2_FLOW = Flow.LEVEL2.value  # typed text answers the question `l2q` of collectivité `l2c`


def show_question(
    ctx: Ctx,
    who: Answering,
    q: Question,
    answers: dict[str, str] | None = None,
    *,
    mask: int | None = None,
    edit: bool = False,
    back: str | None = None,
) -> None:
    """Ask `q`; `back`: the question to return to once it is answered (changing an earlier
    answer from the section list)."""
    if answers is None:
        answers = ctx.store.answers.of(who.cid)
    values = {"l2c": who.cid, "l2q": q.id}
    if back is not None and back != q.id:
        values["l2back"] = back
    set_flow(ctx.state, LEVEL2_FLOW, **values)
    ctx.say(
        question_text(ctx, who, q, answers),
        question_buttons(ctx, who, q, answers, mask=mask),
        edit=edit,
    )


def _current(ctx: Ctx, cid: int) -> str | None:
    """The question the speaker was on for collectivité `cid`, if any."""
    if flow_of(ctx.state) != LEVEL2_FLOW or ctx.state.get("l2c") != cid:
        return None
    qid = ctx.state.get("l2q")
    return qid if isinstance(qid, str) else None


def resume(ctx: Ctx, who: Answering) -> None:
    """Back to the question one was on (if still unanswered and shown), else the next one."""
    answers = ctx.store.answers.of(who.cid)
    current = _current(ctx, who.cid)
    if current is not None and is_level2(ctx.ref, current):
        q = ctx.ref.question(current)
        if q.id in shown_ids(ctx.ref, answers) and not is_answered(q, answers):
            show_question(ctx, who, q, answers)
            return
    nxt = next_unanswered(ctx.ref, answers, current)
    if nxt is None:
        ctx.say(ctx._("Toutes les questions du niveau 2 ont une réponse. Merci !"))
        show_menu(ctx, who)
        return
    show_question(ctx, who, nxt, answers)


def _pressed(ctx: Ctx, cid: int, question_id: str) -> tuple[Answering, Question] | None:
    """The speaker's right and the shown level-2 question a button names; None after a reply."""
    who = answering_for(ctx, cid)
    if who is None:
        return None
    _ = ctx._
    if not is_level2(ctx.ref, question_id):
        ctx.toast(_("Cette question n’existe plus."))
        ctx.say(_("Cette question ne fait pas (ou plus) partie du niveau 2."))
        show_menu(ctx, who)
        return None
    answers = ctx.store.answers.of(cid)
    if question_id not in shown_ids(ctx.ref, answers):
        ctx.toast(_("Question sans objet."))
        ctx.say(_("D’après vos réponses actuelles, cette question ne se pose pas."))
        show_menu(ctx, who)
        return None
    return who, ctx.ref.question(question_id)


def give(ctx: Ctx, who: Answering, q: Question, value: str, *, from_button: bool) -> None:
    """Record a valid answer, say what it opens in the plan, then move on (or back)."""
    _ = ctx._
    current = _current(ctx, who.cid)
    was_current = current == q.id
    back_to = ctx.state.get("l2back") if was_current else current
    before = ctx.store.answers.of(who.cid)
    changed = record_answer(ctx, q, value, collectivite_id=who.cid)
    answers = ctx.store.answers.of(who.cid)
    label = answer_text(ctx.tr, q, value)
    if changed is None and not was_current:
        ctx.toast(_("Réponse déjà enregistrée."))
        ctx.say(_("Cette réponse était déjà enregistrée : {answer}.").format(answer=label))
        return
    if who.opsn is not None:
        said = _(
            "Réponse enregistrée pour {name} : {answer} (par vous, référent de {opsn})."
        ).format(name=who.collectivite.name, answer=label, opsn=who.opsn.name)
    else:
        said = _("Réponse enregistrée : {answer}").format(answer=label)
    if from_button:
        ctx.say(question_text(ctx, who, q, before) + "\n\n" + said, edit=True)
    else:
        ctx.say(said)
    priority = recommendation_priority(ctx.ref, q, value)
    if priority is not None and q.recommendation is not None:
        ctx.say(
            _(
                "Recommandation ({priority}) : {title}\n{why}\n"
                "Elle figure dans le plan d’actions (/plan)."
            ).format(
                priority=ui.priority_label(ctx.tr, priority.value),
                title=q.recommendation.title,
                why=q.recommendation.why,
            )
        )
    opened = [
        x
        for x in shown_questions(ctx.ref, answers)
        if x.id not in shown_ids(ctx.ref, before) and not is_answered(x, answers)
    ]
    if opened:  # the answer made a conditional question appear: it comes first
        back_id = back_to if isinstance(back_to, str) and back_to != q.id else None
        show_question(ctx, who, opened[0], answers, back=back_id)
        return
    if isinstance(back_to, str) and back_to != q.id and is_level2(ctx.ref, back_to):
        back = ctx.ref.question(back_to)
        if back.id in shown_ids(ctx.ref, answers) and not is_answered(back, answers):
            show_question(ctx, who, back, answers)
            return
    advance(ctx, who, q, answers)


def advance(ctx: Ctx, who: Answering, previous: Question, answers: dict[str, str]) -> None:
    """The next unanswered question; a finished section is said, the end goes to the menu."""
    nxt = next_unanswered(ctx.ref, answers, previous.id)
    part = section_of(ctx.ref, previous)
    progress = next(p for p in progress_of(ctx.ref, answers) if p.section.id == part.id)
    if progress.done and (nxt is None or section_of(ctx.ref, nxt).id != part.id):
        ctx.say(
            ctx._("Partie « {section} » terminée : {total} réponses.").format(
                section=part.title, total=len(progress.shown)
            )
        )
    if nxt is None:
        set_flow(ctx.state, Flow.IDLE.value)
        ctx.say(ctx._("Toutes les questions du niveau 2 ont une réponse. Merci !"))
        show_menu(ctx, who)
        return
    show_question(ctx, who, nxt, answers)


@router.button(Level2Resume)
def resume_button(ctx: Ctx, event: Event, data: Level2Resume) -> None:
    who = answering_for(ctx, data.cid)
    if who is not None:
        resume(ctx, who)


@router.button(Level2Ask)
def ask_button(ctx: Ctx, event: Event, data: Level2Ask) -> None:
    found = _pressed(ctx, data.cid, data.question_id)
    if found is not None:
        who, q = found
        # Changing an earlier answer: come back afterwards to the question one was on.
        show_question(ctx, who, q, back=_current(ctx, who.cid))


@router.button(Level2Answer)
def answer_button(ctx: Ctx, event: Event, data: Level2Answer) -> None:
    found = _pressed(ctx, data.cid, data.question_id)
    if found is None:
        return
    who, q = found
    if not is_valid_answer(q, data.value) or q.answer_type is AnswerType.MULTI_CHOICE:
        ctx.toast(ctx._("Réponse inconnue."))
        show_question(ctx, who, q)
        return
    give(ctx, who, q, data.value, from_button=True)


@router.button(Level2Toggle, Level2Validate)
def toggle_button(ctx: Ctx, event: Event, data: Level2Toggle | Level2Validate) -> None:
    found = _pressed(ctx, data.cid, data.question_id)
    if found is None:
        return
    who, q = found
    options = q.options if q.answer_type is AnswerType.MULTI_CHOICE else ()
    if not options or data.mask >= 1 << len(options):
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        show_question(ctx, who, q)
        return
    if isinstance(data, Level2Toggle):
        show_question(ctx, who, q, mask=data.mask, edit=True)
        return
    chosen = {o.id for i, o in enumerate(options) if data.mask & (1 << i)}
    if not chosen:
        ctx.toast(ctx._("Cochez au moins une réponse."))
        ctx.say(ctx._("Cochez au moins une réponse, puis « Valider »."))
        return
    give(ctx, who, q, join_options(chosen), from_button=True)


@router.button(Level2Why)
def why_button(ctx: Ctx, event: Event, data: Level2Why) -> None:
    found = _pressed(ctx, data.cid, data.question_id)
    if found is None:
        return
    _who, q = found
    text = ctx._("Pourquoi cette question ?") + "\n\n" + q.help
    for term_id in q.definitions:
        term = ctx.ref.term(term_id)
        text += f"\n\n{term.term} : {term.definition}"
    ctx.say(text)


@router.button(Level2Skip)
def skip_button(ctx: Ctx, event: Event, data: Level2Skip) -> None:
    found = _pressed(ctx, data.cid, data.question_id)
    if found is None:
        return
    who, q = found
    if _current(ctx, who.cid) != q.id:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        resume(ctx, who)
        return
    answers = ctx.store.answers.of(who.cid)
    ctx.say(question_text(ctx, who, q, answers) + "\n\n" + ctx._("(question passée)"), edit=True)
    nxt = next_unanswered(ctx.ref, answers, q.id)
    if nxt is None:
        set_flow(ctx.state, Flow.IDLE.value)
        show_menu(ctx, who)
        return
    show_question(ctx, who, nxt, answers)


@router.button(Level2Back)
def back_button(ctx: Ctx, event: Event, data: Level2Back) -> None:
    found = _pressed(ctx, data.cid, data.question_id)
    if found is None:
        return
    who, q = found
    previous = previous_shown(ctx.ref, ctx.store.answers.of(who.cid), q.id)
    if previous is None:
        ctx.toast(ctx._("C’est la première question."))
        show_question(ctx, who, q)
        return
    show_question(ctx, who, previous)


@router.flow(LEVEL2_FLOW)
def typed_answer(ctx: Ctx, event: Event) -> None:
    """Typed text answers the current question; unreadable text gets a short re-prompt."""
    cid, qid = ctx.state.get("l2c"), ctx.state.get("l2q")
    if not isinstance(cid, int) or not isinstance(qid, str):
        set_flow(ctx.state, Flow.IDLE.value)
        ctx.say(ctx._("Tapez /niveau2 pour reprendre le niveau 2."))
        return
    found = _pressed(ctx, cid, qid)
    if found is None:
        set_flow(ctx.state, Flow.IDLE.value)
        return
    who, q = found
    _ = ctx._
    if q.answer_type in TYPED_TYPES:
        reading = read_answer(q, event.text)
        if reading.value is None:
            assert reading.problem is not None
            ctx.say(reprompt(ctx.tr, q, reading.problem))
            return
        give(ctx, who, q, reading.value, from_button=False)
        return
    if q.answer_type is AnswerType.CHOICE:
        value = parse_choice(event.text, [(o.id, o.label) for o in q.options])
        hint = _("Touchez un bouton, ou tapez le numéro d’une réponse.")
    elif q.answer_type is AnswerType.YES_NO:
        value = parse_yes_no(event.text)
        hint = _("Touchez un bouton, ou tapez oui, non ou je ne sais pas.")
    else:
        value = None
        hint = _("Cochez les réponses avec les boutons, puis « Valider ».")
    if value is None:
        ctx.say(_("Je n’ai pas compris cette réponse.") + " " + hint)
        return
    give(ctx, who, q, value, from_button=False)
