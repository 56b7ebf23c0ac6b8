"""/indicateurs: each indicator with its value and unit, its threshold and whether it is met — or
« non calculable », naming the answers it still needs, with buttons to answer them."""

from __future__ import annotations

from dialogs import ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.level2.buttons import IndicatorsButton, Level2Ask, Level2Menu
from dialogs.level2.menu import pick_collectivite
from dialogs.level2.render import ROW_LABEL, fit
from dialogs.level2.speaker import Answering, answering_for, as_referent_line
from dialogs.replies import Button
from dialogs.router import Router
from referential.formulas import Direction
from referential.indicators import IndicatorValue, compute_all
from referential.numbers import format_french

router = Router()

MAX_MISSING_BUTTONS = 12


def indicator_line(ctx: Ctx, result: IndicatorValue) -> str:
    _ = ctx._
    ind = result.indicator
    if result.value is None:
        if result.missing:
            why = _("il manque : {questions}").format(questions=", ".join(result.missing))
        else:
            why = result.reason or ""
        return _("• {title} : non calculable ({why})").format(title=ind.title, why=why)
    line = _("• {title} : {value}").format(
        title=ind.title, value=format_french(result.rounded(1) or 0, ind.unit or None)
    )
    threshold = ind.threshold
    if threshold is not None:
        sign = "≥" if ind.direction is Direction.HIGHER else "≤"
        target = f"{sign} {format_french(threshold.value, ind.unit or None)}"
        met = result.meets_threshold()
        line += " — " + (
            _("seuil {target} atteint ✅") if met else _("seuil {target} non atteint")
        ).format(target=target)
    return line


def show_indicators(ctx: Ctx, who: Answering) -> None:
    _ = ctx._
    answers = ctx.store.answers.of(who.cid)
    results = compute_all(ctx.ref, answers)
    computed = sum(r.computable for r in results)
    text = _("Indicateurs de {name} : {computed} calculés sur {total}.").format(
        name=who.collectivite.name, computed=computed, total=len(results)
    )
    if line := as_referent_line(ctx, who):
        text += "\n" + line
    text += "\n\n" + "\n".join(indicator_line(ctx, r) for r in results)
    missing = list(dict.fromkeys(qid for r in results for qid in r.missing))
    rows: list[tuple[Button, ...]] = []
    if missing:
        text += "\n\n" + _("Répondez aux questions qui manquent pour calculer les autres :")
        buttons = [
            ui.button(fit(_("Répondre {id}").format(id=qid), ROW_LABEL), Level2Ask(who.cid, qid))
            for qid in missing[:MAX_MISSING_BUTTONS]
        ]
        rows.extend(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    rows.append((ui.button(_("☰ Niveau 2"), Level2Menu(who.cid)),))
    ctx.say(text, tuple(rows))


@router.command("indicateurs", "indicators")
def indicators_command(ctx: Ctx, event: Event) -> None:
    pick_collectivite(ctx, IndicatorsButton, lambda who: show_indicators(ctx, who))


@router.button(IndicatorsButton)
def indicators_button(ctx: Ctx, event: Event, data: IndicatorsButton) -> None:
    who = answering_for(ctx, data.cid)
    if who is not None:
        show_indicators(ctx, who)
