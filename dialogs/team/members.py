"""/equipe: the collectivité's team — members and functions, administrators, removing and leaving.

Invitations and join requests live in `dialogs.team.joining`, functions in `dialogs.team.functions`.
Every change locks the collectivité first, so two administrators acting at once cannot leave it
without an administrator.
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.records import MemberInfo, MembershipInfo, Role
from dialogs.replies import Button, Reply
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.team.buttons import (
    FunctionAsk,
    TeamCancel,
    TeamInvite,
    TeamLeave,
    TeamLeaveConfirmed,
    TeamPromote,
    TeamRemove,
    TeamRemoveConfirmed,
)
from dialogs.team.functions import capitalised
from dialogs.team.invitations import pending_section
from dialogs.ui import button, confirm_rows

router = Router()

MAX_PICKED = 30  # people offered as buttons in one message


def _joined_key(member: MemberInfo) -> int:
    return int(member.joined_at.timestamp())


def member_line(ctx: Ctx, m: MemberInfo) -> str:
    _ = ctx._
    name = m.display_name or _("une personne sans nom")
    function = capitalised(m.function_label) or _("fonction non précisée")
    line = f"• {name} — {function}"
    if m.is_admin:
        line += " · " + _("administrateur·rice")
    if m.user_id == ctx.user.id:
        line += " " + _("(vous)")
    return line


def show_team(ctx: Ctx, member: MembershipInfo) -> None:
    _ = ctx._
    members = ctx.store.people.members(member.collectivite.id)
    heading = ctx.tr.ngettext(
        "Équipe de {name} (une personne) :", "Équipe de {name} ({count} personnes) :", len(members)
    )
    lines = [
        heading.format(name=member.collectivite.name, count=len(members)),
        *(member_line(ctx, m) for m in members),
    ]
    invitation_lines, revoke_rows = pending_section(ctx, member)
    lines.extend(invitation_lines)
    rows: list[tuple[Button, ...]] = []
    if member.is_admin:
        rows.append((button(_("Inviter une personne"), TeamInvite()),))
        if len(members) > 1:
            # One per row: « Nommer administrateur » is too long to share a row on a phone.
            rows.append((button(_("Retirer un membre"), TeamRemove()),))
            rows.append((button(_("Nommer administrateur"), TeamPromote()),))
    rows.extend(revoke_rows)
    rows.append(
        (button(_("Ma fonction"), FunctionAsk()), button(_("Quitter l’équipe"), TeamLeave()))
    )
    ctx.say("\n".join(lines), tuple(rows))


@router.command("equipe", "team", "membres")
def team_command(ctx: Ctx, event: Event) -> None:
    member = access.require_member(ctx)
    if member is not None:
        show_team(ctx, member)


def _target(ctx: Ctx, member: MembershipInfo, user_id: int) -> MemberInfo | None:
    """A member of the speaker's own collectivité, or None with a refusal."""
    members = ctx.store.people.members(member.collectivite.id)
    found = next((m for m in members if m.user_id == user_id), None)
    if found is None:
        access.refuse(
            ctx,
            ui.fmt(
                ctx._("Cette personne ne fait pas (ou plus) partie de l’équipe de {name}."),
                name=member.collectivite.name,
            ),
        )
    return found


def _pick(
    ctx: Ctx, members: list[MemberInfo], to: type[TeamRemove] | type[TeamPromote], text: str
) -> None:
    rows = tuple(
        (button(m.display_name or ctx._("une personne sans nom"), to(user_id=m.user_id)),)
        for m in members[:MAX_PICKED]
    )
    ctx.say(text, rows)


@router.button(TeamCancel)
def cancelled(ctx: Ctx, event: Event, data: TeamCancel) -> None:
    ctx.say(ctx._("D’accord, rien n’a changé."), edit=True)


@router.button(TeamRemove)
def remove_button(ctx: Ctx, event: Event, data: TeamRemove) -> None:
    """Pick whom to remove, then confirm."""
    member = access.require_admin(ctx)
    if member is None:
        return
    _ = ctx._
    if data.user_id is None:
        others = [
            m for m in ctx.store.people.members(member.collectivite.id) if m.user_id != ctx.user.id
        ]
        if not others:
            ctx.say(_("Vous êtes seul·e dans l’équipe : personne à retirer."))
            return
        _pick(ctx, others, TeamRemove, _("Qui voulez-vous retirer de l’équipe ?"))
        return
    target = _target(ctx, member, data.user_id)
    if target is not None:
        ctx.say(
            ui.fmt(
                _("Retirer {person} de l’équipe de {name} ?"),
                person=target.display_name,
                name=member.collectivite.name,
            ),
            confirm_rows(
                ctx.tr,
                TeamRemoveConfirmed(user_id=target.user_id),
                TeamCancel(),
                yes_label=_("Oui, retirer"),
                no_label=_("Non"),
            ),
            edit=True,
        )


@router.button(TeamRemoveConfirmed)
def remove(ctx: Ctx, event: Event, data: TeamRemoveConfirmed) -> None:
    member = access.require_admin(ctx)
    if member is None:
        return
    _ = ctx._
    if data.user_id == ctx.user.id:
        ctx.say(_("Pour vous retirer vous-même, utilisez « Quitter l’équipe »."))
        return
    cid = member.collectivite.id
    ctx.store.people.lock_collectivite(cid)
    target = _target(ctx, member, data.user_id)
    if target is None:
        return
    ctx.store.people.remove_member(cid, target.user_id)
    name = member.collectivite.name
    by = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        return Reply(
            ui.fmt(
                tr.gettext("{person} vous a retiré·e de l’équipe de {name} sur Éco-clic."),
                person=by,
                name=name,
            )
        )

    ctx.notify(target.user_id, f"team-removed:{cid}:{target.user_id}:{_joined_key(target)}", render)
    ctx.say(
        ui.fmt(
            _("{person} ne fait plus partie de l’équipe de {name}."),
            person=target.display_name,
            name=name,
        ),
        edit=True,
    )


@router.button(TeamPromote)
def promote(ctx: Ctx, event: Event, data: TeamPromote) -> None:
    """Pick who becomes administrator, then make them so (no confirm step: it can be undone)."""
    member = access.require_admin(ctx)
    if member is None:
        return
    _ = ctx._
    cid = member.collectivite.id
    if data.user_id is None:
        candidates = [m for m in ctx.store.people.members(cid) if not m.is_admin]
        if not candidates:
            ctx.say(_("Tous les membres sont déjà administrateurs."))
            return
        _pick(
            ctx, candidates, TeamPromote, _("Qui doit devenir administrateur ou administratrice ?")
        )
        return
    ctx.store.people.lock_collectivite(cid)
    target = _target(ctx, member, data.user_id)
    if target is None:
        return
    if target.is_admin:
        ctx.say(
            ui.fmt(
                _("{person} est déjà administrateur ou administratrice."),
                person=target.display_name,
            )
        )
        return
    ctx.store.people.set_role(cid, target.user_id, Role.ADMIN)
    name = member.collectivite.name
    by = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        return Reply(
            ui.fmt(
                tr.gettext(
                    "{person} vous a nommé·e administrateur ou administratrice de {name} : vous pouvez "
                    "maintenant inviter des personnes, gérer l’équipe et demander un rattachement à un OPSN."
                ),
                person=by,
                name=name,
            )
        )

    ctx.notify(target.user_id, f"team-admin:{cid}:{target.user_id}:{_joined_key(target)}", render)
    ctx.say(
        ui.fmt(
            _("{person} est maintenant administrateur ou administratrice de {name}."),
            person=target.display_name,
            name=name,
        ),
        edit=True,
    )


@router.button(TeamLeave)
def ask_to_leave(ctx: Ctx, event: Event, data: TeamLeave) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    _ = ctx._
    ctx.say(
        ui.fmt(
            _("Quitter l’équipe de {name} ? Les réponses déjà données restent à la collectivité."),
            name=member.collectivite.name,
        ),
        confirm_rows(
            ctx.tr,
            TeamLeaveConfirmed(),
            TeamCancel(),
            yes_label=_("Oui, quitter"),
            no_label=_("Non"),
        ),
    )


@router.button(TeamLeaveConfirmed)
def leave(ctx: Ctx, event: Event, data: TeamLeaveConfirmed) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    _ = ctx._
    cid = member.collectivite.id
    name = member.collectivite.name
    ctx.store.people.lock_collectivite(cid)
    members = ctx.store.people.members(cid)
    me = next((m for m in members if m.user_id == ctx.user.id), None)
    if me is None:
        ctx.say(_("Vous ne faites déjà plus partie de cette équipe."))
        return
    if me.is_admin and sum(m.is_admin for m in members) == 1:
        access.refuse(
            ctx,
            ui.fmt(
                _(
                    "Vous êtes le seul administrateur ou la seule administratrice de {name} : nommez "
                    "d’abord quelqu’un d’autre (/equipe, « Nommer administrateur »), puis quittez l’équipe."
                ),
                name=name,
            ),
        )
        return
    ctx.store.people.remove_member(cid, ctx.user.id)
    ctx.member(refresh=True)  # another collectivité of theirs, if any, is now the active one
    set_flow(ctx.state, Flow.IDLE.value)
    person = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        return Reply(
            ui.fmt(tr.gettext("{person} a quitté l’équipe de {name}."), person=person, name=name)
        )

    for admin in (m for m in members if m.is_admin and m.user_id != ctx.user.id):
        ctx.notify(
            admin.user_id,
            f"team-left:{cid}:{ctx.user.id}:{_joined_key(me)}:{admin.user_id}",
            render,
        )
    ctx.say(ui.fmt(_("Vous avez quitté l’équipe de {name}."), name=name), edit=True)
