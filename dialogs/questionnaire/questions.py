"""The level-1 questionnaire: one question at a time, with explanations, skip, back and theme choice.

Button data carries the question id ("a:GOV-02:non"), so a button from an old message always answers the
question it was shown with, never the current one by mistake. Storing an answer (and what follows:
score, plan) is dialogs.answers.record_answer.
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.answers import answer_label, record_answer
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.parsing import parse_choice, parse_yes_no
from dialogs.questionnaire.buttons import (
    AnswerButton,
    BackButton,
    DefinitionsButton,
    QuestionnaireMenu,
    ResumeQuestionnaire,
    SkipButton,
    ThemeButton,
    WhyButton,
)
from dialogs.questionnaire.results import final_results
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from referential.models import AnswerType, Question
from referential.scoring import credit, is_valid_answer, progress, theme_score

router = Router()


def _questions(ctx: Ctx) -> tuple[Question, ...]:
    return ctx.ref.level_questions(1)


def next_unanswered(ctx: Ctx, answers: dict[str, str], after: str | None = None) -> Question | None:
    """First unanswered question after `after` (in order), wrapping round to earlier ones."""
    questions = _questions(ctx)
    ids = [q.id for q in questions]
    start = ids.index(after) + 1 if after in ids else 0
    for q in questions[start:] + questions[:start]:
        if q.id not in answers and q.id != after:
            return q
    return None


def _position(ctx: Ctx, q: Question) -> tuple[int, int]:
    siblings = ctx.ref.questions_of(q.theme)
    return [s.id for s in siblings].index(q.id) + 1, len(siblings)


def question_text(ctx: Ctx, q: Question, answers: dict[str, str]) -> str:
    _ = ctx._
    number, total = _position(ctx, q)
    done = progress(ctx.ref, answers).percent
    header = _("{theme} · question {n}/{total} · {percent} du questionnaire").format(
        theme=ctx.ref.theme(q.theme).title, n=number, total=total, percent=ctx.tr.percent(done)
    )
    text = f"{header}\n\n{q.text}"
    if q.answer_type is AnswerType.CHOICE:
        text += "\n" + "\n".join(f"{i}. {o.label}" for i, o in enumerate(q.options, 1))
    current = answers.get(q.id)
    if current is not None:
        text += "\n\n" + _("Réponse actuelle : {answer}").format(
            answer=answer_label(ctx.tr, q, current)
        )
    return text


def question_buttons(ctx: Ctx, q: Question) -> Keyboard:
    _ = ctx._
    if q.answer_type is AnswerType.CHOICE:
        answer_rows: Keyboard = tuple(
            (ui.button(o.label, AnswerButton(q.id, o.id)),) for o in q.options
        )
    else:
        answer_rows = (
            tuple(
                ui.button(ui.answer_label(ctx.tr, v), AnswerButton(q.id, v))
                for v in ("oui", "non", "nsp")
            ),
        )
    help_row = [ui.button(_("Pourquoi cette question ?"), WhyButton(q.id))]
    if q.definitions:
        help_row.append(ui.button(_("Définitions"), DefinitionsButton(q.id)))
    nav_row = (
        ui.button(_("Passer"), SkipButton(q.id)),
        ui.button(_("Question précédente"), BackButton(q.id)),
    )
    return (*answer_rows, tuple(help_row), nav_row)


def show_question(ctx: Ctx, q: Question, answers: dict[str, str] | None = None) -> None:
    if answers is None:
        answers = _answers(ctx)
    set_flow(ctx.state, Flow.QUESTIONNAIRE.value)
    ctx.state["q"] = q.id
    ctx.say(question_text(ctx, q, answers), question_buttons(ctx, q))


def _answers(ctx: Ctx) -> dict[str, str]:
    """The answers of the speaker's collectivité (callers checked the membership)."""
    member = ctx.member()
    assert member is not None
    return ctx.store.answers.of(member.collectivite.id)


def start_questionnaire(ctx: Ctx) -> None:
    """Resume where the collectivité left off; when everything is answered, offer the theme menu."""
    if access.require_member(ctx) is None:
        return
    answers = _answers(ctx)
    current = ctx.state.get("q")
    if isinstance(current, str) and ctx.ref.has_question(current) and current not in answers:
        show_question(ctx, ctx.ref.question(current), answers)
        return
    q = next_unanswered(ctx, answers, current if isinstance(current, str) else None)
    if q is None:
        theme_menu(ctx, answers)
        return
    show_question(ctx, q, answers)


def theme_menu(ctx: Ctx, answers: dict[str, str] | None = None) -> None:
    _ = ctx._
    if answers is None:
        answers = _answers(ctx)
    rows: list[tuple[Button, ...]] = []
    current = ctx.state.get("q")
    q = next_unanswered(ctx, answers, current if isinstance(current, str) else None)
    if q is not None:
        title = ctx.ref.theme(q.theme).title
        rows.append(
            (ui.button(_("▶ Reprendre : {theme}").format(theme=title), ResumeQuestionnaire()),)
        )
    for theme in ctx.ref.level_themes(1):
        ts = theme_score(ctx.ref, answers, theme.id)
        rows.append(
            (ui.button(f"{theme.title} ({ts.answered}/{ts.total})", ThemeButton(theme.id)),)
        )
    text = (
        _("Reprenez là où vous en étiez, ou choisissez un thème :")
        if q is not None
        else _(
            "Toutes les questions ont une réponse. Choisissez un thème pour modifier une réponse :"
        )
    )
    ctx.say(text, tuple(rows))


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
        theme_menu(ctx)
        return
    answers = _answers(ctx)
    questions = ctx.ref.questions_of(data.theme_id)
    target = next((q for q in questions if q.id not in answers), questions[0])
    show_question(ctx, target, answers)


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
    ctx.say(ctx._("Cette question ne fait plus partie du questionnaire. Voici où vous en êtes :"))
    start_questionnaire(ctx)


@router.button(AnswerButton)
def answer_button(ctx: Ctx, event: Event, data: AnswerButton) -> None:
    q = _pressed(ctx, data.question_id)
    if q is None:
        return
    answer(ctx, q, data.value, from_button=True)


def answer(ctx: Ctx, q: Question, value: str, *, from_button: bool) -> None:
    """Record an answer, explain a « non », then move on (or back to where the user was)."""
    _ = ctx._
    if not is_valid_answer(q, value):
        ctx.toast(_("Réponse inconnue."))
        show_question(ctx, q)
        return
    was_current = ctx.state.get("q") == q.id and flow_of(ctx.state) == Flow.QUESTIONNAIRE.value
    changed = record_answer(ctx, q, value)
    answers = _answers(ctx)
    label = answer_label(ctx.tr, q, value)
    if not changed and not was_current:
        # A second tap on an old button: nothing to do, say so briefly.
        ctx.toast(_("Réponse déjà enregistrée."))
        ctx.say(_("Cette réponse était déjà enregistrée : {answer}.").format(answer=label))
        return
    if from_button:
        before = {k: v for k, v in answers.items() if k != q.id}
        ctx.say(
            f"{question_text(ctx, q, before)}\n\n"
            + _("Votre réponse : {answer}").format(answer=label),
            edit=True,
        )
    else:
        ctx.say(_("Réponse enregistrée : {answer}").format(answer=label))
    rec = q.recommendation
    if rec is not None and credit(ctx.ref, q, value) < 1:
        ctx.say(
            _("À retenir : {why}\n\nRecommandation ({priority}) : {title}").format(
                why=rec.why, priority=ui.priority_label(ctx.tr, q.priority.value), title=rec.title
            )
        )
    current = ctx.state.get("q")
    back_to_current = (
        not was_current
        and flow_of(ctx.state) == Flow.QUESTIONNAIRE.value
        and isinstance(current, str)
        and ctx.ref.has_question(current)
        and current != q.id
    )
    if back_to_current:
        # An answer to an earlier question: come back to the one the user was on.
        show_question(ctx, ctx.ref.question(str(current)), answers)
        return
    advance(ctx, q, answers)


def advance(ctx: Ctx, previous: Question, answers: dict[str, str]) -> None:
    """Go to the next unanswered question; close a theme with its sub-score; end with the results."""
    _ = ctx._
    nxt = next_unanswered(ctx, answers, previous.id)
    theme_done = all(q.id in answers for q in ctx.ref.questions_of(previous.theme))
    if theme_done and (nxt is None or nxt.theme != previous.theme):
        ts = theme_score(ctx.ref, answers, previous.theme)
        ctx.say(
            _("Thème « {theme} » terminé : sous-score {index}/100.").format(
                theme=ts.title, index=ts.index
            )
        )
    if nxt is None:
        set_flow(ctx.state, Flow.IDLE.value)
        ctx.state.pop("q", None)
        final_results(ctx, answers)
        return
    show_question(ctx, nxt, answers)


@router.button(WhyButton)
def why_button(ctx: Ctx, event: Event, data: WhyButton) -> None:
    q = _pressed(ctx, data.question_id, members_only=False)
    if q is None:
        return
    ctx.say(ctx._("Pourquoi cette question ?") + "\n\n" + q.help)


@router.button(DefinitionsButton)
def definitions_button(ctx: Ctx, event: Event, data: DefinitionsButton) -> None:
    q = _pressed(ctx, data.question_id, members_only=False)
    if q is None:
        return
    if not q.definitions:
        ctx.say(ctx._("Cette question n’utilise pas de mot technique."))
        return
    terms = [ctx.ref.term(t) for t in q.definitions]
    ctx.say("\n\n".join(f"{t.term} : {t.definition}" for t in terms))


@router.button(SkipButton)
def skip_button(ctx: Ctx, event: Event, data: SkipButton) -> None:
    q = _pressed(ctx, data.question_id)
    if q is None:
        return
    answers = _answers(ctx)
    if ctx.state.get("q") != q.id:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        start_questionnaire(ctx)
        return
    ctx.say(question_text(ctx, q, answers) + "\n\n" + ctx._("(question passée)"), edit=True)
    nxt = next_unanswered(ctx, answers, q.id)
    if nxt is None:
        set_flow(ctx.state, Flow.IDLE.value)
        final_results(ctx, answers)
        return
    show_question(ctx, nxt, answers)


@router.button(BackButton)
def back_button(ctx: Ctx, event: Event, data: BackButton) -> None:
    q = _pressed(ctx, data.question_id)
    if q is None:
        return
    ids = [x.id for x in _questions(ctx)]
    position = ids.index(q.id)
    if position == 0:
        ctx.toast(ctx._("C’est la première question."))
        ctx.say(ctx._("C’est la première question du questionnaire."))
        show_question(ctx, q)
        return
    show_question(ctx, ctx.ref.question(ids[position - 1]))


@router.flow(Flow.QUESTIONNAIRE.value)
def typed_answer(ctx: Ctx, event: Event) -> None:
    """Typed answers: oui/o/yes/y, non/n/no, je ne sais pas/nsp/jsp/?; a number or label for choices."""
    if ctx.member() is None:
        # No reply here: the engine answers with general.unknown_text (how to register).
        set_flow(ctx.state, Flow.IDLE.value)
        return
    current = ctx.state.get("q")
    if not isinstance(current, str) or not ctx.ref.has_question(current):
        start_questionnaire(ctx)
        return
    q = ctx.ref.question(current)
    if q.answer_type is AnswerType.CHOICE:
        value = parse_choice(event.text, [(o.id, o.label) for o in q.options])
    else:
        value = parse_yes_no(event.text)
    if value is None:
        ctx.say(
            ctx._(
                "Je n’ai pas compris cette réponse. Utilisez les boutons, ou tapez oui, non ou je ne sais pas."
            )
            if q.answer_type is AnswerType.YES_NO
            else ctx._(
                "Je n’ai pas compris cette réponse. Utilisez les boutons, ou tapez le numéro d’une option."
            )
        )
        show_question(ctx, q)
        return
    answer(ctx, q, value, from_button=False)
