"""What a level-2 question looks like in chat: its text, the form its answer takes, its buttons,
and the re-prompt when a typed answer cannot be read. Labels fit a phone: at most 20 characters on
a row of several buttons, 28 on a row of their own."""

from __future__ import annotations

from dialogs import ui
from dialogs.context import Ctx
from dialogs.i18n import N_, Translator
from dialogs.level2.buttons import (
    Level2Answer,
    Level2Back,
    Level2Menu,
    Level2Skip,
    Level2Toggle,
    Level2Validate,
    Level2Why,
)
from dialogs.level2.content import Answers, section_of, shown_questions
from dialogs.level2.reading import TYPED_TYPES, Problem
from dialogs.level2.speaker import Answering, as_referent_line
from dialogs.replies import Button, Keyboard
from referential.answers import format_answer, selected
from referential.kinds import DONT_KNOW, NOT_APPLICABLE, NUMERIC_TYPES, AnswerType
from referential.models import Question
from referential.numbers import format_french

ROW_LABEL = 20  # a button sharing its row
ALONE_LABEL = 28  # a button alone on its row

PROBLEMS = {
    Problem.EMPTY: N_("Votre réponse est vide."),
    Problem.UNREADABLE: N_("Je n’ai pas pu lire cette réponse."),
    Problem.TOO_LOW: N_("Ce nombre est trop petit pour cette question."),
    Problem.TOO_HIGH: N_("Ce nombre est trop grand pour cette question."),
    Problem.WHOLE: N_("Un nombre entier est attendu, sans virgule."),
    Problem.CENTS: N_("Un montant a au plus deux chiffres après la virgule."),
    Problem.TOO_LONG: N_("Cette réponse est trop longue."),
    Problem.BAD_DATE: N_("Je n’ai pas pu lire cette date."),
}


def fit(label: str, limit: int) -> str:
    """`label`, cut with « … » to at most `limit` characters."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def answer_text(tr: Translator, q: Question, value: str | None) -> str:
    """How an answer reads: « 1 200 appareils », « 15/03/2027 », an option, « Non concerné »."""
    if value is None:
        return tr.gettext("sans réponse")
    if value == NOT_APPLICABLE:
        return tr.gettext("Non concerné")
    if q.answer_type is AnswerType.CHOICE:
        return next((o.label for o in q.options if o.id == value), value)
    if value == DONT_KNOW or q.answer_type is AnswerType.YES_NO:
        return ui.answer_label(tr, value)
    return format_answer(q, value) or value


def expected_form(tr: Translator, q: Question) -> str:
    """The answer's form, bounds and unit: what the question and every re-prompt repeat."""
    _ = tr.gettext
    t = q.answer_type
    if t in NUMERIC_TYPES:
        low, high = q.bounds()
        unit = q.unit_label()
        if t is AnswerType.YEAR:
            form = _("une année")
        elif t is AnswerType.PERCENT:
            form = _("un pourcentage")
        elif t is AnswerType.AMOUNT_EUR:
            form = _("un montant en euros")
        elif t is AnswerType.INTEGER:
            form = _("un nombre entier")
        else:
            form = _("un nombre")
        if unit and t in (AnswerType.INTEGER, AnswerType.DECIMAL):
            form += f" ({unit})"
        if low is not None and high is not None:
            spell = str if t is AnswerType.YEAR else format_french
            form += " " + _("de {low} à {high}").format(low=spell(low), high=spell(high))
    elif t is AnswerType.DATE:
        form = _("une date : « 15/03/2027 », « 15 mars 2027 » ou « mars 2027 »")
    else:
        form = _("un texte de {max} caractères au plus").format(max=q.max_length)
    if q.example:
        form += ", " + _("par exemple « {example} »").format(example=q.example)
    return form


def reprompt(tr: Translator, q: Question, problem: Problem) -> str:
    """A short re-prompt: what went wrong, then the expected form and an example again."""
    return (
        tr.gettext(PROBLEMS[problem])
        + " "
        + tr.gettext("Répondez par {form}.").format(form=expected_form(tr, q))
    )


def question_text(ctx: Ctx, who: Answering, q: Question, answers: Answers) -> str:
    _ = ctx._
    part = section_of(ctx.ref, q)
    visible = [x.id for x in shown_questions(ctx.ref, answers) if x in part.questions]
    number = visible.index(q.id) + 1 if q.id in visible else 1
    header = _("Niveau 2 · {section} · question {n}/{total}").format(
        section=part.title, n=number, total=len(visible)
    )
    text = f"{header}\n\n{q.text}"
    if q.answer_type in (AnswerType.CHOICE, AnswerType.MULTI_CHOICE):
        text += "\n" + "\n".join(f"{i}. {o.label}" for i, o in enumerate(q.options, 1))
    if q.answer_type is AnswerType.MULTI_CHOICE:
        text += "\n" + _("Cochez toutes les réponses qui conviennent, puis « Valider ».")
    if q.answer_type in TYPED_TYPES:
        text += "\n\n" + _("Tapez {form}.").format(form=expected_form(ctx.tr, q))
    if q.personal_data:
        text += "\n" + _("Indiquez de préférence une fonction plutôt que le nom d’une personne.")
    current = answers.get(q.id)
    if current is not None:
        text += "\n\n" + _("Réponse actuelle : {answer}").format(
            answer=answer_text(ctx.tr, q, current)
        )
    if line := as_referent_line(ctx, who):
        text += "\n\n" + line
    return text


def _option_rows(
    ctx: Ctx, who: Answering, q: Question, answers: Answers, mask: int | None
) -> list[tuple[Button, ...]]:
    if q.answer_type is AnswerType.CHOICE:
        return [
            (ui.button(fit(f"{i}. {o.label}", ALONE_LABEL), Level2Answer(who.cid, q.id, o.id)),)
            for i, o in enumerate(q.options, 1)
        ]
    if q.answer_type is AnswerType.MULTI_CHOICE:
        return toggle_rows(ctx, who, q, mask_of(q, answers.get(q.id)) if mask is None else mask)
    if q.answer_type is AnswerType.YES_NO:
        return [
            tuple(
                ui.button(ui.answer_label(ctx.tr, v), Level2Answer(who.cid, q.id, v))
                for v in ("oui", "non", DONT_KNOW)
            )
        ]
    return [(ui.button(ctx._("Je ne sais pas"), Level2Answer(who.cid, q.id, DONT_KNOW)),)]


def mask_of(q: Question, value: str | None) -> int:
    chosen = selected(q, value)
    return sum(1 << i for i, o in enumerate(q.options) if o.id in chosen)


def toggle_rows(ctx: Ctx, who: Answering, q: Question, mask: int) -> list[tuple[Button, ...]]:
    rows: list[tuple[Button, ...]] = []
    for i, o in enumerate(q.options):
        mark = "☑" if mask & (1 << i) else "☐"
        label = fit(f"{mark} {o.label}", ALONE_LABEL)
        rows.append((ui.button(label, Level2Toggle(who.cid, q.id, mask ^ (1 << i))),))
    rows.append((ui.button(ctx._("✅ Valider"), Level2Validate(who.cid, q.id, mask)),))
    return rows


def question_buttons(
    ctx: Ctx, who: Answering, q: Question, answers: Answers, *, mask: int | None = None
) -> Keyboard:
    """Answer buttons (`mask`: a multi-choice selection being made), then help and navigation."""
    _ = ctx._
    rows = _option_rows(ctx, who, q, answers, mask)
    if q.not_applicable:
        rows.append((ui.button(_("Non concerné"), Level2Answer(who.cid, q.id, NOT_APPLICABLE)),))
    rows.append(
        (
            ui.button(_("Pourquoi ?"), Level2Why(who.cid, q.id)),
            ui.button(_("Passer"), Level2Skip(who.cid, q.id)),
            ui.button(_("◀ Précédente"), Level2Back(who.cid, q.id)),
        )
    )
    rows.append((ui.button(_("☰ Sommaire"), Level2Menu(who.cid)),))
    return tuple(rows)
