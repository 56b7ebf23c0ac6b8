"""/equipe: the collectivité's team — members and functions, administrators, removing and leaving.

Invitations and join requests live in `dialogs.joining`. Button data: "tm:<action>[:<user id>]".
Every change locks the collectivité first, so two administrators acting at once cannot leave it
without an administrator.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import N_, Translator
from dialogs.parsing import fold
from dialogs.ports import MemberInfo, MembershipInfo
from dialogs.replies import Button, Reply
from dialogs.router import Router, button_args
from dialogs.state import Flow, set_flow

router = Router()

FUNCTION_FLOW = "team_function"
MAX_FUNCTION = 60

# Preset functions (stored as the French label: it is data the team reads, like a name).
FUNCTIONS = {
    "elu": N_("élu·e"),
    "sec": N_("secrétaire de mairie"),
    "agent": N_("agent·e"),
    "dsi": N_("DSI"),
}


def _joined_key(member: MemberInfo) -> int:
    return int(member.joined_at.timestamp())


def member_line(ctx: Ctx, m: MemberInfo) -> str:
    _ = ctx._
    name = m.display_name or _("une personne sans nom")
    function = m.function_label or _("fonction non précisée")
    line = f"• {name} — {function}"
    if m.is_admin:
        line += " · " + _("administrateur·rice")
    if m.user_id == ctx.user.id:
        line += " " + _("(vous)")
    return line


async def show_team(ctx: Ctx, member: MembershipInfo) -> None:
    _ = ctx._
    members = await ctx.store.team.members(member.collectivite.id)
    lines = [
        (
            _("Équipe de {name} ({count} personnes) :")
            if len(members) > 1
            else _("Équipe de {name} (une personne) :")
        ).format(name=member.collectivite.name, count=len(members)),
        *(member_line(ctx, m) for m in members),
    ]
    rows: list[tuple[Button, ...]] = []
    if member.is_admin:
        rows.append((Button(_("Inviter une personne"), "tm:inv"),))
        if len(members) > 1:
            rows.append(
                (
                    Button(_("Retirer un membre"), "tm:rm"),
                    Button(_("Nommer administrateur"), "tm:adm"),
                )
            )
    rows.append((Button(_("Ma fonction"), "tm:f"), Button(_("Quitter l’équipe"), "tm:leave")))
    ctx.say("\n".join(lines), tuple(rows))


@router.command("equipe", "team", "membres")
async def team_command(ctx: Ctx, event: Event) -> None:
    member = await access.require_member(ctx)
    if member is not None:
        await show_team(ctx, member)


async def _target(ctx: Ctx, member: MembershipInfo, arg: str) -> MemberInfo | None:
    """A member of the speaker's own collectivité, or None with a refusal."""
    members = await ctx.store.team.members(member.collectivite.id)
    found = next((m for m in members if arg.isdigit() and m.user_id == int(arg)), None)
    if found is None:
        access.refuse(
            ctx,
            ctx._("Cette personne ne fait pas (ou plus) partie de l’équipe de {name}.").format(
                name=member.collectivite.name
            ),
        )
    return found


def _pick(ctx: Ctx, members: list[MemberInfo], action: str, text: str) -> None:
    rows = tuple(
        (Button(m.display_name or ctx._("une personne sans nom"), f"tm:{action}:{m.user_id}"),)
        for m in members[:30]
    )
    ctx.say(text, rows)


@router.button("tm")
async def team_button(ctx: Ctx, event: Event) -> None:
    from dialogs.team import joining  # late import: cycle

    args = button_args(event.data)
    action, arg = [*args, "", ""][:2]
    if action == "f":
        await ask_function(ctx)
        return
    if action == "fs":
        await set_function_preset(ctx, arg)
        return
    if action in ("leave", "leaveok"):
        await leave(ctx, confirmed=action == "leaveok")
        return
    if action == "no":
        ctx.say(ctx._("D’accord, rien n’a changé."), edit=True)
        return
    member = await access.require_admin(ctx)
    if member is None:
        return
    _ = ctx._
    if action == "inv":
        await joining.create_invitation(ctx, member)
    elif action == "rm" and not arg:
        others = [
            m
            for m in await ctx.store.team.members(member.collectivite.id)
            if m.user_id != ctx.user.id
        ]
        if not others:
            ctx.say(_("Vous êtes seul·e dans l’équipe : personne à retirer."))
            return
        _pick(ctx, others, "rm", _("Qui voulez-vous retirer de l’équipe ?"))
    elif action == "rm":
        target = await _target(ctx, member, arg)
        if target is not None:
            ctx.say(
                _("Retirer {person} de l’équipe de {name} ?").format(
                    person=target.display_name, name=member.collectivite.name
                ),
                (
                    (
                        Button(_("Oui, retirer"), f"tm:rmok:{target.user_id}"),
                        Button(_("Non"), "tm:no"),
                    ),
                ),
                edit=True,
            )
    elif action == "rmok":
        await remove(ctx, member, arg)
    elif action == "adm" and not arg:
        candidates = [
            m for m in await ctx.store.team.members(member.collectivite.id) if not m.is_admin
        ]
        if not candidates:
            ctx.say(_("Tous les membres sont déjà administrateurs."))
            return
        _pick(ctx, candidates, "adm", _("Qui doit devenir administrateur ou administratrice ?"))
    elif action == "adm":
        await promote(ctx, member, arg)
    else:
        ctx.toast(_("Ce bouton n’est plus valable."))
        await show_team(ctx, member)


async def remove(ctx: Ctx, member: MembershipInfo, arg: str) -> None:
    _ = ctx._
    if arg == str(ctx.user.id):
        ctx.say(_("Pour vous retirer vous-même, utilisez « Quitter l’équipe »."))
        return
    cid = member.collectivite.id
    await ctx.store.team.lock_collectivite(cid)
    target = await _target(ctx, member, arg)
    if target is None:
        return
    await ctx.store.team.remove_member(cid, target.user_id)
    name = member.collectivite.name
    by = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        return Reply(
            tr.gettext("{person} vous a retiré·e de l’équipe de {name} sur Éco-clic.").format(
                person=by, name=name
            )
        )

    await ctx.notify(
        target.user_id, f"team-removed:{cid}:{target.user_id}:{_joined_key(target)}", render
    )
    ctx.say(
        _("{person} ne fait plus partie de l’équipe de {name}.").format(
            person=target.display_name, name=name
        ),
        edit=True,
    )


async def promote(ctx: Ctx, member: MembershipInfo, arg: str) -> None:
    _ = ctx._
    cid = member.collectivite.id
    await ctx.store.team.lock_collectivite(cid)
    target = await _target(ctx, member, arg)
    if target is None:
        return
    if target.is_admin:
        ctx.say(
            _("{person} est déjà administrateur ou administratrice.").format(
                person=target.display_name
            )
        )
        return
    await ctx.store.team.set_role(cid, target.user_id, "admin")
    name = member.collectivite.name
    by = ctx.user.display_name

    def render(tr: Translator) -> Reply:
        return Reply(
            tr.gettext(
                "{person} vous a nommé·e administrateur ou administratrice de {name} : vous pouvez "
                "maintenant inviter des personnes, gérer l’équipe et demander un rattachement à un OPSN."
            ).format(person=by, name=name)
        )

    await ctx.notify(
        target.user_id, f"team-admin:{cid}:{target.user_id}:{_joined_key(target)}", render
    )
    ctx.say(
        _("{person} est maintenant administrateur ou administratrice de {name}.").format(
            person=target.display_name, name=name
        ),
        edit=True,
    )


async def leave(ctx: Ctx, *, confirmed: bool) -> None:
    _ = ctx._
    member = await access.require_member(ctx)
    if member is None:
        return
    cid = member.collectivite.id
    name = member.collectivite.name
    if not confirmed:
        ctx.say(
            _(
                "Quitter l’équipe de {name} ? Les réponses déjà données restent à la collectivité."
            ).format(name=name),
            ((Button(_("Oui, quitter"), "tm:leaveok"), Button(_("Non"), "tm:no")),),
        )
        return
    await ctx.store.team.lock_collectivite(cid)
    members = await ctx.store.team.members(cid)
    me = next((m for m in members if m.user_id == ctx.user.id), None)
    if me is None:
        ctx.say(_("Vous ne faites déjà plus partie de cette équipe."))
        return
    if me.is_admin and sum(m.is_admin for m in members) == 1:
        access.refuse(
            ctx,
            _(
                "Vous êtes le seul administrateur ou la seule administratrice de {name} : nommez "
                "d’abord quelqu’un d’autre (/equipe, « Nommer administrateur »), puis quittez l’équipe."
            ).format(name=name),
        )
        return
    await ctx.store.team.remove_member(cid, ctx.user.id)
    set_flow(ctx.state, Flow.IDLE.value)
    person = ctx.user.display_name
    for admin in (m for m in members if m.is_admin and m.user_id != ctx.user.id):

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext("{person} a quitté l’équipe de {name}.").format(person=person, name=name)
            )

        await ctx.notify(
            admin.user_id,
            f"team-left:{cid}:{ctx.user.id}:{_joined_key(me)}:{admin.user_id}",
            render,
        )
    ctx.say(_("Vous avez quitté l’équipe de {name}.").format(name=name), edit=True)


async def ask_function(ctx: Ctx) -> None:
    if await access.require_member(ctx) is None:
        return
    _ = ctx._
    rows = tuple((Button(_(label), f"tm:fs:{code}"),) for code, label in FUNCTIONS.items())
    ctx.say(
        _("Quelle est votre fonction dans la collectivité ?"),
        (*rows, (Button(_("Autre (je la tape)"), "tm:fs:autre"),)),
    )


async def set_function_preset(ctx: Ctx, code: str) -> None:
    if await access.require_member(ctx) is None:
        return
    if code == "autre":
        set_flow(ctx.state, FUNCTION_FLOW)
        ctx.say(
            ctx._("Tapez votre fonction ({n} caractères au plus), ou /annuler.").format(
                n=MAX_FUNCTION
            )
        )
        return
    if code not in FUNCTIONS:
        ctx.toast(ctx._("Ce bouton n’est plus valable."))
        await ask_function(ctx)
        return
    await _save_function(ctx, FUNCTIONS[code], edit=True)


@router.flow(FUNCTION_FLOW)
async def function_typed(ctx: Ctx, event: Event) -> None:
    label = " ".join(event.text.split())
    if not 2 <= len(label) <= MAX_FUNCTION or not any(c.isalpha() for c in label):
        ctx.say(
            ctx._("La fonction doit compter entre 2 et {n} caractères, avec des lettres.").format(
                n=MAX_FUNCTION
            )
        )
        return
    preset = next((v for v in FUNCTIONS.values() if fold(v) == fold(label)), None)
    set_flow(ctx.state, Flow.IDLE.value)
    if await access.require_member(ctx) is None:
        return
    await _save_function(ctx, preset or label)


async def _save_function(ctx: Ctx, label: str, *, edit: bool = False) -> None:
    await ctx.store.team.set_function(ctx.user.id, label)
    ctx.say(ctx._("C’est noté : votre fonction est « {label} ».").format(label=label), edit=edit)
