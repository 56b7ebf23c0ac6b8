"""What the questionnaire shows: a question with its buttons, the theme menu, where to resume.

Texts are HTML (`ctx.say(..., html=True)`): the question and the labels are bold, everything from the
referential or the user is escaped with `ui.esc`. One question is one message: a note about the
previous step (the answer typed, the end of a theme) goes at its top, never in a message of its own.
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.answers import answer_label
from dialogs.context import Ctx
from dialogs.questionnaire.buttons import (
    AnswerButton,
    BackButton,
    DefinitionsButton,
    ResumeQuestionnaire,
    ShowQuestion,
    SkipButton,
    ThemeButton,
    WhyButton,
)
from dialogs.replies import Button, Keyboard
from dialogs.state import Flow, set_flow
from referential.kinds import NOT_APPLICABLE
from referential.models import AnswerType, Question
from referential.scoring import progress, theme_score


def questions(ctx: Ctx) -> tuple[Question, ...]:
    return ctx.ref.level_questions(1)


def answers_of(ctx: Ctx) -> dict[str, str]:
    """The answers of the speaker's collectivité (callers checked the membership)."""
    member = ctx.member()
    assert member is not None
    return ctx.store.answers.of(member.collectivite.id)


def next_unanswered(ctx: Ctx, answers: dict[str, str], after: str | None = None) -> Question | None:
    """First unanswered question after `after` (in order), wrapping round to earlier ones."""
    qs = questions(ctx)
    ids = [q.id for q in qs]
    start = ids.index(after) + 1 if after in ids else 0
    for q in qs[start:] + qs[:start]:
        if q.id not in answers and q.id != after:
            return q
    return None


def _position(ctx: Ctx, q: Question) -> tuple[int, int]:
    siblings = ctx.ref.questions_of(q.theme)
    return [s.id for s in siblings].index(q.id) + 1, len(siblings)


def question_text(ctx: Ctx, q: Question, answers: dict[str, str], *, current: bool = True) -> str:
    """HTML: header with the progress, the bold question, numbered options, the current answer.

    The percentage counts `answers` as given: callers pass the answers as they were when the
    question was first shown, so the header of an answered question does not move."""
    _ = ctx._
    number, total = _position(ctx, q)
    done = progress(ctx.ref, answers).percent
    header = _("{theme} · question {n}/{total} · {percent} du questionnaire").format(
        theme=ctx.ref.theme(q.theme).title, n=number, total=total, percent=ctx.tr.percent(done)
    )
    text = f"{ui.esc(header)}\n\n{ui.bold(q.text)}"
    if q.answer_type is AnswerType.CHOICE:
        text += "\n" + "\n".join(f"{i}. {ui.esc(o.label)}" for i, o in enumerate(q.options, 1))
    value = answers.get(q.id)
    if current and value is not None:
        text += "\n\n" + ui.esc(
            _("Réponse actuelle : {answer}").format(answer=answer_label(ctx.tr, q, value))
        )
    return text


def answer_rows(ctx: Ctx, q: Question) -> Keyboard:
    """The answer buttons: options one per row, or Oui / Non / Je ne sais pas on one row."""
    rows: list[tuple[Button, ...]]
    if q.answer_type is AnswerType.CHOICE:
        rows = [(ui.button(ui.fit(o.label), AnswerButton(q.id, o.id)),) for o in q.options]
    else:
        rows = [
            tuple(
                ui.button(ui.answer_label(ctx.tr, v), AnswerButton(q.id, v))
                for v in ("oui", "non", "nsp")
            )
        ]
    if q.not_applicable:
        rows.append(
            (
                ui.button(
                    ui.answer_label(ctx.tr, NOT_APPLICABLE), AnswerButton(q.id, NOT_APPLICABLE)
                ),
            )
        )
    return tuple(rows)


def question_buttons(ctx: Ctx, q: Question) -> Keyboard:
    _ = ctx._
    help_row = [ui.button(_("Pourquoi ?"), WhyButton(q.id))]
    if q.definitions:
        help_row.append(ui.button(_("Définitions"), DefinitionsButton(q.id)))
    nav_row = [ui.button(_("Passer"), SkipButton(q.id))]
    if questions(ctx)[0].id != q.id:  # nothing before the first question
        nav_row.append(ui.button(_("Question précédente"), BackButton(q.id)))
    return (*answer_rows(ctx, q), tuple(help_row), tuple(nav_row))


def back_to_question_row(ctx: Ctx, q: Question) -> tuple[Button, ...]:
    return (ui.button(ctx._("↩ Retour à la question"), ShowQuestion(q.id)),)


def show_question(
    ctx: Ctx,
    q: Question,
    answers: dict[str, str] | None = None,
    *,
    note: str = "",
    edit: bool = False,
) -> None:
    """Make `q` the current question and show it; `note` (HTML) tops the same message."""
    if answers is None:
        answers = answers_of(ctx)
    set_flow(ctx.state, Flow.QUESTIONNAIRE.value)
    ctx.state["q"] = q.id
    text = question_text(ctx, q, answers)
    ctx.say(f"{note}\n\n{text}" if note else text, question_buttons(ctx, q), edit=edit, html=True)


def theme_done_note(ctx: Ctx, answers: dict[str, str], theme_id: str) -> str:
    ts = theme_score(ctx.ref, answers, theme_id)
    return (
        ui.esc(ctx._("Thème « {theme} » terminé :").format(theme=ts.title))
        + " "
        + ui.bold(ctx._("sous-score {index}/100").format(index=ts.index))
    )


def start_questionnaire(ctx: Ctx, *, note: str = "") -> None:
    """Resume where the collectivité left off; when everything is answered, offer the theme menu."""
    if access.require_member(ctx) is None:
        return
    answers = answers_of(ctx)
    current = ctx.state.get("q")
    if isinstance(current, str) and ctx.ref.has_question(current) and current not in answers:
        q = ctx.ref.question(current)
        if q.level == 1:
            show_question(ctx, q, answers, note=note)
            return
    q_next = next_unanswered(ctx, answers, current if isinstance(current, str) else None)
    if q_next is None:
        theme_menu(ctx, answers)
        return
    show_question(ctx, q_next, answers, note=note)


def theme_menu(ctx: Ctx, answers: dict[str, str] | None = None, *, edit: bool = False) -> None:
    _ = ctx._
    if answers is None:
        answers = answers_of(ctx)
    rows: list[tuple[Button, ...]] = []
    current = ctx.state.get("q")
    q = next_unanswered(ctx, answers, current if isinstance(current, str) else None)
    if q is not None:
        rows.append((ui.button(_("▶ Reprendre"), ResumeQuestionnaire()),))
    for theme in ctx.ref.level_themes(1):
        ts = theme_score(ctx.ref, answers, theme.id)
        count = f" ({ts.answered}/{ts.total})"
        rows.append(
            (ui.button(ui.fit(theme.title, ui.ALONE - len(count)) + count, ThemeButton(theme.id)),)
        )
    text = (
        _("Reprenez là où vous en étiez ({theme}), ou choisissez un thème :").format(
            theme=ctx.ref.theme(q.theme).title
        )
        if q is not None
        else _(
            "Toutes les questions ont une réponse. Choisissez un thème pour modifier une réponse :"
        )
    )
    ctx.say(text, tuple(rows), edit=edit)
