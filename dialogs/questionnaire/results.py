"""Scores: the end of the questionnaire and /score (the plan itself is dialogs.plan)."""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.buttons import PlanPage
from dialogs.plan.schedule import today
from dialogs.questionnaire.buttons import QuestionnaireMenu, ResumeQuestionnaire, ScoreButton
from dialogs.records import AreaAverages, GroupAverage
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.target.buttons import TargetMenu
from dialogs.target.progress import progress_line, progress_of
from referential.scoring import open_recommendations, score

router = Router()

TOP_RECOMMENDATIONS = 3


def score_lines(ctx: Ctx, answers: dict[str, str]) -> str:
    """HTML: the index and letter in bold, then the progress."""
    _ = ctx._
    s = score(ctx.ref, answers)
    lines = [
        ui.bold(
            _("Indice de maturité : {index}/100 · lettre {grade}").format(
                index=s.index, grade=s.grade
            )
        ),
        ui.esc(
            _("Progression : {answered}/{total} questions ({percent})").format(
                answered=s.progress.answered,
                total=s.progress.total,
                percent=ctx.tr.percent(s.progress.percent),
            )
        ),
    ]
    if s.progress.answered < s.progress.total:
        lines.append(ui.esc(_("Indice provisoire : il compte les questions sans réponse pour 0.")))
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
    return ui.esc("\n".join(lines))


def final_results(ctx: Ctx, answers: dict[str, str], *, note: str = "") -> None:
    """The results in one message; `note` (HTML: the last theme's sub-score) tops it."""
    _ = ctx._
    ctx.say(
        (f"{note}\n\n" if note else "")
        + ui.bold(_("Questionnaire terminé, merci !"))
        + "\n\n"
        + score_lines(ctx, answers)
        + "\n\n"
        + top_recommendations(ctx, answers),
        (
            (ui.button(_("Voir le plan d’actions"), PlanPage()),),
            (ui.button(_("Modifier une réponse"), QuestionnaireMenu()),),
        ),
        html=True,
    )


def area_lines(ctx: Ctx, averages: AreaAverages) -> list[str]:
    """HTML: the département, région, France and OPSN averages that have enough collectivités
    (storage omits the others); nothing when none has."""
    _ = ctx._

    def shown(group: GroupAverage) -> str:
        return ctx.tr.number(int(group.average + 0.5))  # rounded half up, as indexes are

    parts = []
    if averages.departement:
        d = averages.departement
        parts.append(_("département ({code}) : {index}/100").format(code=d.label, index=shown(d)))
    if averages.region:
        r = averages.region
        parts.append(_("région {name} : {index}/100").format(name=r.label, index=shown(r)))
    if averages.national:
        parts.append(_("France : {index}/100").format(index=shown(averages.national)))
    if averages.opsn:
        parts.append(
            _("collectivités de votre OPSN : {index}/100").format(index=shown(averages.opsn))
        )
    if not parts:
        return []
    return [
        "",
        ui.esc(_("Moyennes des collectivités qui ont répondu :")),
        ui.esc(" · ".join(parts)),
    ]


def show_score(ctx: Ctx) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    answers = ctx.store.answers.of(member.collectivite.id)
    s = score(ctx.ref, answers)
    lines = [score_lines(ctx, answers), ""]
    for ts in s.themes:
        lines.append(ui.esc(f"• {ts.title} : {ts.index}/100 ({ts.answered}/{ts.total})"))
    target = ctx.store.roadmap.target(member.collectivite.id)
    if target is not None:
        day = today(ctx.now, ctx.config.timezone)
        line = progress_line(ctx.tr, progress_of(ctx.ref, target, answers, day))
        lines.extend(["", ui.esc(line)])
    lines.extend(area_lines(ctx, ctx.store.answers.area_averages(member.collectivite.id)))
    rows: list[tuple[Button, ...]] = [(ui.button(ctx._("Voir le plan d’actions"), PlanPage()),)]
    if target is None:
        rows.append((ui.button(ctx._("Définir une cible"), TargetMenu()),))
    if s.progress.answered < s.progress.total:  # no dead end: the way on is the questionnaire
        rows.insert(0, (ui.button(ctx._("▶ Continuer le questionnaire"), ResumeQuestionnaire()),))
    ctx.say("\n".join(lines), tuple(rows), html=True)


@router.command("score", "resultats", "indice")
def score_command(ctx: Ctx, event: Event) -> None:
    show_score(ctx)


@router.button(ScoreButton)
def score_button(ctx: Ctx, event: Event, data: ScoreButton) -> None:
    show_score(ctx)
