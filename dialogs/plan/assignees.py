"""Who carries an action: pick a member of the team; the new assignee is told."""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.plan.buttons import Assign, AssignPicker, ItemButton
from dialogs.plan.cards import load_item, show_item
from dialogs.plan.entries import item_title
from dialogs.plan.listing import short
from dialogs.records import ActionItemInfo, MemberInfo
from dialogs.replies import Reply
from dialogs.router import Router
from dialogs.ui import button

router = Router()

NOBODY = 0  # Assign.user_id meaning « Personne »


def mate_label(ctx: Ctx, mate: MemberInfo, chosen: int | None) -> str:
    """A team member as the pickers show them: « (moi) » for the speaker, ✓ for the one chosen."""
    label = mate.display_name or ctx._("(sans nom)")
    if mate.user_id == ctx.user.id:
        label = ctx._("{name} (moi)").format(name=label)
    return "✓ " + label if mate.user_id == chosen else label


@router.button(AssignPicker)
def pick_assignee(ctx: Ctx, event: Event, data: AssignPicker) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    rows = [
        (button(short(mate_label(ctx, mate, item.assignee_id)), Assign(item.id, mate.user_id)),)
        for mate in ctx.store.people.members(item.collectivite_id)
    ]
    rows.append((button(_("Personne"), Assign(item.id, NOBODY)),))
    rows.append((button(_("← Retour"), ItemButton(item.id)),))
    ctx.say(
        _("Qui porte l’action « {title} » ?").format(title=item_title(item, ctx.ref)),
        tuple(rows),
        edit=True,
    )


@router.button(Assign)
def assign(ctx: Ctx, event: Event, data: Assign) -> None:
    item = load_item(ctx, data.item_id)
    if item is None:
        return
    _ = ctx._
    team = {m.user_id for m in ctx.store.people.members(item.collectivite_id)}
    if data.user_id != NOBODY and data.user_id not in team:
        ctx.toast(_("Personne inconnue."))
        ctx.say(_("Cette personne ne fait pas (ou plus) partie de l’équipe."))
        show_item(ctx, item, edit=False)
        return
    assignee = data.user_id or None
    changed = assignee != item.assignee_id
    changes: dict[str, object] = {"assignee_id": assignee}
    if changed:
        changes["reminders_muted"] = False  # a new person in charge gets the reminders
    item = ctx.store.plan.update_item(item.id, changes, actor_id=ctx.user.id, now=ctx.now)
    ctx.toast(
        _("Action confiée à {name}.").format(name=item.assignee_name)
        if assignee
        else _("Plus personne n’est en charge.")
    )
    show_item(ctx, item, edit=True)
    if changed and assignee is not None and assignee != ctx.user.id:
        notify_assignee(ctx, item)


def notify_assignee(ctx: Ctx, item: ActionItemInfo) -> None:
    assert item.assignee_id is not None
    title = item_title(item, ctx.ref)
    by = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        text = (
            tr.gettext("{name} vous a confié une action du plan numérique responsable :").format(
                name=by
            )
            + f"\n« {title} »"
        )
        if item.due_date is not None:
            text += "\n" + tr.gettext("Échéance : {date}").format(date=tr.date(item.due_date))
        text += "\n\n" + tr.gettext("Je vous le rappellerai en temps utile (/rappels pour régler).")
        return Reply(text, ((button(tr.gettext("Voir l’action"), ItemButton(item.id)),),))

    stamp = int(ctx.now.timestamp())
    ctx.notify(item.assignee_id, f"plan-assign:{item.id}:{item.assignee_id}:{stamp}", render)
