"""What every action-item screen shares: finding the item safely, its card, the way back.

Every handler re-reads the item and checks it belongs to the speaker's collectivité: a stale or
forged id gets a clear refusal.
"""

from __future__ import annotations

from datetime import date

from dialogs.context import Ctx
from dialogs.plan.ports import A_FAIRE, EN_COURS, NON_RETENU, PLANIFIE, REALISE, ActionItemInfo
from dialogs.plan.schedule import today
from dialogs.plan.view import CODE_OF_STATUS, item_text, status_label
from dialogs.replies import Button

Rows = tuple[tuple[Button, ...], ...]


def local_today(ctx: Ctx) -> date:
    return today(ctx.now, ctx.config.timezone)


async def load_item(ctx: Ctx, raw_id: str) -> ActionItemInfo | None:
    """The item if it exists and belongs to the speaker's collectivité; else a refusal is said."""
    _ = ctx._
    member = await ctx.member()
    if member is None:
        ctx.say(
            _("Il faut d’abord inscrire votre collectivité (ou rejoindre son équipe)."),
            ((Button(_("Inscrire ma collectivité"), "ob:go"),),),
        )
        return None
    item = await ctx.store.plan.item(int(raw_id)) if raw_id.isdigit() else None
    if (
        item is None
        or item.collectivite_id != member.collectivite.id
        or not ctx.ref.has_question(item.question_id)
    ):
        ctx.toast(_("Action introuvable."))
        ctx.say(
            _("Cette action n’existe pas ou ne concerne pas votre collectivité."),
            ((Button(_("Voir le plan d’actions"), "p:l:0"),),),
        )
        return None
    return item


def back_to_list(ctx: Ctx) -> Button:
    saved = ctx.state.get("plan")
    page, code = 0, ""
    if isinstance(saved, dict):
        page = saved.get("pg", 0) if isinstance(saved.get("pg"), int) else 0
        code = str(saved.get("f", ""))[:40]
    return Button(ctx._("← Retour au plan"), f"p:l:{page}:{code}")


def item_rows(ctx: Ctx, item: ActionItemInfo) -> Rows:
    _ = ctx._
    i = item.id

    def status_button(status: str) -> Button:
        return Button(status_label(ctx.tr, status), f"p:s:{i}:{CODE_OF_STATUS[status]}")

    first = tuple(status_button(s) for s in (A_FAIRE, PLANIFIE, EN_COURS) if s != item.status)
    second = tuple(status_button(s) for s in (REALISE, NON_RETENU) if s != item.status)
    rows = [
        first,
        second,
        (Button(_("Attribuer"), f"p:a:{i}"), Button(_("Échéance"), f"p:d:{i}")),
        (Button(_("Ressources"), f"p:r:{i}"), Button(_("Historique"), f"p:h:{i}")),
    ]
    if item.reminders_muted and item.is_open:
        rows.append((Button(_("Réactiver les rappels"), f"p:u:{i}"),))
    return (*rows, (back_to_list(ctx),))


def show_item(ctx: Ctx, item: ActionItemInfo, *, edit: bool) -> None:
    ctx.say(item_text(ctx.tr, ctx.ref, item, local_today(ctx)), item_rows(ctx, item), edit=edit)
