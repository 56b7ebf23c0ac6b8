"""Administrators rewrite the title or description of an action the team added itself, or delete
it (with its history). Referential recommendations follow the answers and are never edited here."""

from __future__ import annotations

from dialogs.access import require_admin
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.plan.buttons import ItemButton, OwnDelete, OwnEdit, OwnField
from dialogs.plan.cards import back_to_list, flow_item_id, load_item, show_item
from dialogs.plan.draft import DETAILS_MAX, TITLE_MAX, TITLE_MIN, clean_details, clean_title
from dialogs.plan.entries import item_title
from dialogs.records import ActionItemInfo
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.ui import button, confirm_rows

router = Router()

CLEAR_WORDS = frozenset({"aucune", "effacer", "none"})


def own_item(ctx: Ctx, item_id: int | None) -> ActionItemInfo | None:
    """The own action, if the speaker administers its collectivité; else a refusal is said."""
    if require_admin(ctx) is None:
        return None
    item = load_item(ctx, item_id)
    if item is not None and item.question_id is not None:
        ctx.toast(ctx._("Seules les actions de l’équipe se modifient ici."))
        show_item(ctx, item, edit=False)
        return None
    return item


@router.button(OwnEdit)
def edit(ctx: Ctx, event: Event, data: OwnEdit) -> None:
    item = own_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    if data.field is None:
        rows = (
            (
                button(_("Titre"), OwnEdit(item.id, OwnField.TITLE)),
                button(_("Description"), OwnEdit(item.id, OwnField.DETAILS)),
            ),
            (button(_("← Retour"), ItemButton(item.id)),),
        )
        ctx.say(_("Que voulez-vous modifier ?"), rows, edit=True)
        return
    set_flow(
        ctx.state,
        Flow.PLAN_OWN_EDIT,
        plan_item=item.id,
        own_field=data.field.value,
        plan=ctx.state.get("plan"),
    )
    if data.field is OwnField.TITLE:
        ctx.say(
            _("Tapez le nouveau titre ({min} à {max} caractères), ou /annuler.").format(
                min=TITLE_MIN, max=TITLE_MAX
            )
        )
    else:
        ctx.say(
            _(
                "Tapez la nouvelle description ({max} caractères au plus), « aucune » pour "
                "l’effacer, ou /annuler."
            ).format(max=DETAILS_MAX)
        )


@router.flow(Flow.PLAN_OWN_EDIT)
def typed(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    item = own_item(ctx, flow_item_id(ctx.state))
    field = ctx.state.get("own_field")
    if item is None or field not in {f.value for f in OwnField}:
        set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"))
        return
    changes: dict[str, object]
    if field == OwnField.TITLE:
        title, error = clean_title(event.text)
        if title is None:
            ctx.say(
                _("Ce titre est trop court : {min} caractères au moins.").format(min=TITLE_MIN)
                if error == "short"
                else _("Ce titre est trop long : {max} caractères au plus (ici {n}).").format(
                    max=TITLE_MAX, n=len(" ".join(event.text.split()))
                )
            )
            return
        changes = {"title": title}
    elif event.text.strip().lower() in CLEAR_WORDS:
        changes = {"details": None}
    else:
        details, error = clean_details(event.text)
        if details is None:
            ctx.say(
                _("Cette description est trop longue : {max} caractères au plus.").format(
                    max=DETAILS_MAX
                )
            )
            return
        changes = {"details": details}
    set_flow(ctx.state, Flow.IDLE, plan=ctx.state.get("plan"))
    item = ctx.store.plan.update_item(item.id, changes, actor_id=ctx.user.id, now=ctx.now)
    ctx.toast(_("Action modifiée."))
    show_item(ctx, item, edit=False)


@router.button(OwnDelete)
def delete(ctx: Ctx, event: Event, data: OwnDelete) -> None:
    item = own_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    if not data.confirmed:
        ctx.say(
            _("Supprimer l’action « {title} » et son historique ? C’est définitif.").format(
                title=item_title(item, ctx.ref)
            ),
            confirm_rows(
                ctx.tr,
                OwnDelete(item.id, True),
                ItemButton(item.id),
                yes_label=_("Oui, supprimer"),
                no_label=_("Non, la garder"),
            ),
            edit=True,
        )
        return
    ctx.store.plan.delete_own_item(item.id)
    ctx.toast(_("Action supprimée."))
    ctx.say(
        _("L’action « {title} » est supprimée.").format(title=item_title(item, ctx.ref)),
        ((back_to_list(ctx),),),
        edit=True,
    )
