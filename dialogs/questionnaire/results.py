"""Scores: the end of the questionnaire and /score (the plan itself is dialogs.plan)."""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.buttons import PlanPage
from dialogs.questionnaire.buttons import QuestionnaireMenu, ScoreButton
from dialogs.router import Router
from referential.scoring import open_recommendations, score

router = Router()

TOP_RECOMMENDATIONS = 3


def score_lines(ctx: Ctx, answers: dict[str, str]) -> str:
    _ = ctx._
    s = score(ctx.ref, answers)
    lines = [
        _("Indice de maturité : {index}/100 · lettre {grade}").format(index=s.index, grade=s.grade),
        _("Progression : {answered}/{total} questions ({percent})").format(
            answered=s.progress.answered,
            total=s.progress.total,
            percent=ctx.tr.percent(s.progress.percent),
        ),
    ]
    return "\n".join(lines)


def top_recommendations(ctx: Ctx, answers: dict[str, str], count: int = TOP_RECOMMENDATIONS) -> str:
    _ = ctx._
    recs = open_recommendations(ctx.ref, answers)[:count]
    if not recs:
        return _("Aucune recommandation ouverte : bravo !")
    lines = [
        ctx.tr.ngettext(
            "L’action à mener en premier :", "Les {n} actions à mener en premier :", len(recs)
        ).format(n=len(recs))
    ]
    for i, q in enumerate(recs, 1):
        title = q.recommendation.title if q.recommendation else q.text
        lines.append(f"{i}. {title} ({ui.priority_label(ctx.tr, q.priority.value)})")
    return "\n".join(lines)


def final_results(ctx: Ctx, answers: dict[str, str]) -> None:
    _ = ctx._
    ctx.say(
        _("Questionnaire terminé, merci !")
        + "\n\n"
        + score_lines(ctx, answers)
        + "\n\n"
        + top_recommendations(ctx, answers),
        (
            (ui.button(_("Voir le plan d’actions"), PlanPage()),),
            (ui.button(_("Modifier une réponse"), QuestionnaireMenu()),),
        ),
    )


def show_score(ctx: Ctx) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    answers = ctx.store.answers.of(member.collectivite.id)
    s = score(ctx.ref, answers)
    lines = [score_lines(ctx, answers), ""]
    for ts in s.themes:
        lines.append(f"• {ts.title} : {ts.index}/100 ({ts.answered}/{ts.total})")
    ctx.say("\n".join(lines), ((ui.button(ctx._("Voir le plan d’actions"), PlanPage()),),))


@router.command("score", "resultats", "indice")
def score_command(ctx: Ctx, event: Event) -> None:
    show_score(ctx)


@router.button(ScoreButton)
def score_button(ctx: Ctx, event: Event, data: ScoreButton) -> None:
    show_score(ctx)
