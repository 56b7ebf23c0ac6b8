"""The level-1 questionnaire: one question at a time, with explanations, skip, back and theme choice.

Button data carries the question id ("a:GOV-02:non"), so a button from an old message always answers the
question it was shown with, never the current one by mistake. Storing an answer (and what follows:
score, plan) is dialogs.answers.record_answer.

Message economy (a phone shows a few messages at once): an answer costs at most one edit and one new
message. The tapped question is edited to show the answer (and, when it opens a recommendation, a short
« À retenir »); the next question comes in one new message that also carries the end-of-theme
sub-score. Help screens replace the question in place and offer « Retour à la question ».
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.answers import answer_label, record_answer
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.parsing import Intent, parse_choice, parse_intent, parse_yes_no
from dialogs.questionnaire.buttons import (
    AnswerButton,
    BackButton,
    DefinitionsButton,
    QuestionnaireMenu,
    ResumeQuestionnaire,
    ShowQuestion,
    SkipButton,
    ThemeButton,
    WhyButton,
)
from dialogs.questionnaire.results import final_results
from dialogs.questionnaire.screens import (
    answer_rows,
    answers_of,
    back_to_question_row,
    next_unanswered,
    question_text,
    questions,
    show_question,
    start_questionnaire,
    theme_done_note,
    theme_menu,
)
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from referential.kinds import NOT_APPLICABLE
from referential.models import AnswerType, Question
from referential.scoring import is_valid_answer, recommendation_priority

router = Router()


@router.command("questionnaire", "reprendre", "questions")
def questionnaire_command(ctx: Ctx, event: Event) -> None:
    if access.require_member(ctx):
        theme_menu(ctx)


@router.button(QuestionnaireMenu)
def menu_button(ctx: Ctx, event: Event, data: QuestionnaireMenu) -> None:
    if access.require_member(ctx):
        theme_menu(ctx)


@router.button(ResumeQuestionnaire)
def resume_button(ctx: Ctx, event: Event, data: ResumeQuestionnaire) -> None:
    start_questionnaire(ctx)


@router.button(ThemeButton)
def theme_button(ctx: Ctx, event: Event, data: ThemeButton) -> None:
    if not access.require_member(ctx):
        return
    if data.theme_id not in {t.id for t in ctx.ref.level_themes(1)}:
        ctx.toast(ctx._("Ce thème n’existe plus."))
        theme_menu(ctx, edit=True)
        return
    answers = answers_of(ctx)
    theme_questions = ctx.ref.questions_of(data.theme_id)
    target = next((q for q in theme_questions if q.id not in answers), theme_questions[0])
    show_question(ctx, target, answers, edit=True)


def _question(ctx: Ctx, question_id: str) -> Question | None:
    """The level-1 question a button names; None when it left the questionnaire."""
    if not ctx.ref.has_question(question_id):
        return None
    q = ctx.ref.question(question_id)
    return q if q.level == 1 else None


def _pressed(ctx: Ctx, question_id: str, *, members_only: bool = True) -> Question | None:
    """The question a pressed button names, after the access check; None (with a reply) when the
    speaker has no collectivité or the question left the questionnaire."""
    if members_only and not access.require_member(ctx):
        return None
    q = _question(ctx, question_id)
    if q is None:
        _stale(ctx)
    return q


def _stale(ctx: Ctx) -> None:
    ctx.toast(ctx._("Cette question n’existe plus."))
    if access.require_member(ctx) is None:
        return
    note = ui.esc(
        ctx._("Cette question ne fait plus partie du questionnaire. Voici où vous en êtes :")
    )
    start_questionnaire(ctx, note=note)


@router.button(AnswerButton)
def answer_button(ctx: Ctx, event: Event, data: AnswerButton) -> None:
    q = _pressed(ctx, data.question_id)
    if q is None:
        return
    answer(ctx, q, data.value, from_button=True)


def _remember(ctx: Ctx, q: Question, value: str) -> str:
    """HTML « À retenir » when the answer opens the recommendation: its title and priority."""
    priority = recommendation_priority(ctx.ref, q, value)
    rec = q.recommendation
    if priority is None or rec is None:
        return ""
    return (
        ui.bold(ctx._("À retenir :"))
        + " "
        + ui.esc(
            ctx._("{title} ({priority}), ajoutée à votre plan d’actions.").format(
                title=rec.title, priority=ui.priority_label(ctx.tr, priority.value)
            )
        )
    )


def answer(ctx: Ctx, q: Question, value: str, *, from_button: bool) -> None:
    """Record an answer, note what it opens, then move on (or back to where the user was)."""
    _ = ctx._
    if not is_valid_answer(q, value):
        ctx.toast(_("Réponse inconnue."))
        show_question(ctx, q, note=ui.esc(_("Réponse inconnue.")), edit=from_button)
        return
    was_current = ctx.state.get("q") == q.id and flow_of(ctx.state) == Flow.QUESTIONNAIRE.value
    before = answers_of(ctx)  # as the question was shown: its header must not move
    changed = record_answer(ctx, q, value) is not None
    answers = {**before, q.id: value}
    label = answer_label(ctx.tr, q, value)
    answered = (
        question_text(ctx, q, before, current=False)  # same header as when it was shown
        + "\n\n"
        + ui.bold(_("Votre réponse :"))
        + " "
        + ui.esc(label)
    )
    remember = _remember(ctx, q, value)
    if ctx.out.toast is None:
        ctx.toast(_("Réponse enregistrée") if changed else _("Réponse déjà enregistrée."))
    if not changed and not was_current:
        # A second tap on an old button: close that old keyboard, nothing else to do.
        if from_button:
            again = ui.esc(_("Cette réponse était déjà enregistrée."))
            ctx.say(f"{answered}\n\n{again}", edit=True, html=True)
        else:
            ctx.say(_("Cette réponse était déjà enregistrée : {answer}.").format(answer=label))
        return
    note = ""
    if from_button:
        ctx.say(answered + (f"\n\n{remember}" if remember else ""), edit=True, html=True)
    else:
        note = ui.esc(_("Réponse enregistrée : {answer}").format(answer=label))
        if remember:
            note += f"\n{remember}"
    current = ctx.state.get("q")
    back_to_current = (
        not was_current
        and flow_of(ctx.state) == Flow.QUESTIONNAIRE.value
        and isinstance(current, str)
        and _question(ctx, current) is not None
        and current != q.id
    )
    if back_to_current:
        # An answer to an earlier question: come back to the one the user was on.
        show_question(ctx, ctx.ref.question(str(current)), answers, note=note)
        return
    advance(ctx, q, answers, note=note)


def advance(ctx: Ctx, previous: Question, answers: dict[str, str], *, note: str = "") -> None:
    """Go to the next unanswered question in one message (with the sub-score of a finished theme);
    end with the results."""
    nxt = next_unanswered(ctx, answers, previous.id)
    theme_done = all(q.id in answers for q in ctx.ref.questions_of(previous.theme))
    if theme_done and (nxt is None or nxt.theme != previous.theme):
        done = theme_done_note(ctx, answers, previous.theme)
        note = f"{note}\n{done}" if note else done
    if nxt is None:
        set_flow(ctx.state, Flow.IDLE.value)
        ctx.state.pop("q", None)
        final_results(ctx, answers, note=note)
        return
    show_question(ctx, nxt, answers, note=note)


def _help_screen(ctx: Ctx, q: Question, title: str, body: str, *, edit: bool) -> None:
    """An explanation in place of the question, its answer buttons kept, and a way back."""
    text = f"{ui.bold(q.text)}\n\n{ui.bold(title)}\n{ui.esc(body)}"
    ctx.say(text, (*answer_rows(ctx, q), back_to_question_row(ctx, q)), edit=edit, html=True)


def _why(ctx: Ctx, q: Question, *, edit: bool) -> None:
    _help_screen(ctx, q, ctx._("Pourquoi cette question ?"), q.help, edit=edit)


def _definitions(ctx: Ctx, q: Question, *, edit: bool) -> None:
    if not q.definitions:
        ctx.toast(ctx._("Pas de mot technique ici."))
        body = ctx._("Cette question n’utilise pas de mot technique.")
    else:
        terms = [ctx.ref.term(t) for t in q.definitions]
        body = "\n\n".join(f"{t.term} : {t.definition}" for t in terms)
    _help_screen(ctx, q, ctx._("Définitions"), body, edit=edit)


@router.button(WhyButton)
def why_button(ctx: Ctx, event: Event, data: WhyButton) -> None:
    q = _pressed(ctx, data.question_id, members_only=False)
    if q is not None:
        _why(ctx, q, edit=True)


@router.button(DefinitionsButton)
def definitions_button(ctx: Ctx, event: Event, data: DefinitionsButton) -> None:
    q = _pressed(ctx, data.question_id, members_only=False)
    if q is not None:
        _definitions(ctx, q, edit=True)


@router.button(ShowQuestion)
def show_question_button(ctx: Ctx, event: Event, data: ShowQuestion) -> None:
    q = _pressed(ctx, data.question_id)
    if q is not None:
        show_question(ctx, q, edit=True)


@router.button(SkipButton)
def skip_button(ctx: Ctx, event: Event, data: SkipButton) -> None:
    q = _pressed(ctx, data.question_id)
    if q is None:
        return
    answers = answers_of(ctx)
    if ctx.state.get("q") != q.id:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        start_questionnaire(ctx)
        return
    ctx.say(
        question_text(ctx, q, answers) + "\n\n" + ui.esc(ctx._("(question passée)")),
        edit=True,
        html=True,
    )
    nxt = next_unanswered(ctx, answers, q.id)
    if nxt is None:
        set_flow(ctx.state, Flow.IDLE.value)
        final_results(ctx, answers)
        return
    show_question(ctx, nxt, answers)


def _previous(ctx: Ctx, q: Question, *, edit: bool) -> None:
    ids = [x.id for x in questions(ctx)]
    position = ids.index(q.id)
    if position == 0:
        ctx.toast(ctx._("C’est la première question."))
        note = ui.esc(ctx._("C’est la première question du questionnaire."))
        show_question(ctx, q, note=note, edit=edit)
        return
    show_question(ctx, ctx.ref.question(ids[position - 1]), edit=edit)


@router.button(BackButton)
def back_button(ctx: Ctx, event: Event, data: BackButton) -> None:
    q = _pressed(ctx, data.question_id)
    if q is not None:
        _previous(ctx, q, edit=True)


def _typed_intent(ctx: Ctx, q: Question, intent: Intent) -> None:
    """What a person means by « pourquoi », « définitions », « retour », « bonjour » mid-question."""
    if intent is Intent.WHY:
        _why(ctx, q, edit=False)
    elif intent is Intent.DEFINITIONS:
        _definitions(ctx, q, edit=False)
    elif intent is Intent.BACK:
        _previous(ctx, q, edit=False)
    else:
        note = ui.esc(ctx._("Bonjour ! Nous en étions à cette question :"))
        show_question(ctx, q, note=note)


def _typed_value(q: Question, text: str) -> str | None:
    if q.not_applicable and parse_intent(text) is Intent.NOT_CONCERNED:
        return NOT_APPLICABLE
    if q.answer_type is AnswerType.CHOICE:
        return parse_choice(text, [(o.id, o.label) for o in q.options])
    return parse_yes_no(text)


def greet_mid_question(ctx: Ctx) -> bool:
    """/start (or a channel restarting, like the terminal) in the middle of the questionnaire: show
    the question we were at again, rather than the menu. False when no question is in progress."""
    current = ctx.state.get("q")
    if flow_of(ctx.state) != Flow.QUESTIONNAIRE.value or not isinstance(current, str):
        return False
    q = _question(ctx, current)
    if q is None:
        return False
    show_question(ctx, q, note=ui.esc(ctx._("Bonjour ! Nous en étions à cette question :")))
    return True


@router.flow(Flow.QUESTIONNAIRE.value)
def typed_answer(ctx: Ctx, event: Event) -> None:
    """Typed answers: oui/o/yes/y, non/n/no, je ne sais pas/nsp/jsp/?; a number or label for choices."""
    if ctx.member() is None:
        # No reply here: the engine answers with general.unknown_text (how to register).
        set_flow(ctx.state, Flow.IDLE.value)
        return
    current = ctx.state.get("q")
    q = _question(ctx, current) if isinstance(current, str) else None
    if q is None:
        start_questionnaire(ctx)
        return
    value = _typed_value(q, event.text)
    if value is None:
        intent = parse_intent(event.text)
        if intent is not None and intent is not Intent.NOT_CONCERNED:
            _typed_intent(ctx, q, intent)
            return
        hint = (
            ctx._(
                "Je n’ai pas compris cette réponse. Utilisez les boutons, ou tapez oui, non ou je ne sais pas."
            )
            if q.answer_type is AnswerType.YES_NO
            else ctx._(
                "Je n’ai pas compris cette réponse. Utilisez les boutons, ou tapez le numéro d’une option."
            )
        )
        show_question(ctx, q, note=ui.esc(hint))
        return
    answer(ctx, q, value, from_button=False)
