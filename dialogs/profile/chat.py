"""/collectivite: the person's collectivités, the active one marked; switching makes another one
active (every later screen names it in its header when there are several, dialogs.engine)."""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.profile.buttons import ProfileEdit, ProfileSwitch
from dialogs.questionnaire.buttons import StartOnboarding
from dialogs.records import MembershipInfo
from dialogs.replies import Button
from dialogs.router import Router

router = Router()

MAX_SHOWN = 12  # collectivités offered for switching (nobody serves more in practice)


def role_words(ctx: Ctx, member: MembershipInfo) -> str:
    return ctx._("administrateur ou administratrice") if member.is_admin else ctx._("membre")


def profile_lines(ctx: Ctx, member: MembershipInfo) -> list[str]:
    """The active collectivité's profile, as registered (HTML, names escaped)."""
    _ = ctx._
    c = member.collectivite
    return [
        f"{ui.bold(_('Nom :'))} {ui.esc(c.name)}",
        f"{ui.bold(_('Type :'))} {ui.esc(ui.kind_label(ctx.tr, c.kind))}",
        f"{ui.bold(_('Département :'))} {ui.esc(c.departement)}",
        f"{ui.bold(_('Population :'))} {ui.esc(ctx.tr.number(c.population))}",
        f"{ui.bold(_('SIRET :'))} {ui.esc(c.siret)}",
    ]


def show(ctx: Ctx, *, edit: bool = False, note: str = "") -> None:
    """The screen; a non-administrator reads the profile without « Modifier »."""
    _ = ctx._
    member = access.require_member(ctx)
    if member is None:
        return
    mine = ctx.store.people.memberships(ctx.user.id) if member.memberships > 1 else [member]
    lines = [ui.esc(note), ""] if note else []
    rows: list[tuple[Button, ...]] = []
    if len(mine) > 1:
        lines.append(ui.bold(_("Vos collectivités :")))
        for other in mine[:MAX_SHOWN]:
            active = other.collectivite.id == member.collectivite.id
            mark = "✅" if active else "•"
            lines.append(
                f"{mark} {ui.esc(other.collectivite.name)} ({ui.esc(role_words(ctx, other))})"
            )
            if not active:
                label = ui.fit(_("Passer à {name}").format(name=other.collectivite.name))
                rows.append((ui.button(label, ProfileSwitch(other.collectivite.id)),))
        lines.append("")
        lines.append(ui.bold(_("Collectivité active :")))
    lines += profile_lines(ctx, member)
    if member.is_admin:
        rows.append((ui.button(_("✏️ Modifier"), ProfileEdit(member.collectivite.id)),))
    else:
        lines += ["", ui.esc(_("Seuls ses administrateurs peuvent modifier ce profil."))]
    rows.append((ui.button(_("➕ Autre collectivité"), StartOnboarding(another=True)),))
    ctx.say("\n".join(lines), tuple(rows), edit=edit, html=True)


@router.command("collectivite", "organisation", "organization")
def collectivite_command(ctx: Ctx, event: Event) -> None:
    show(ctx)


@router.button(ProfileSwitch)
def switch(ctx: Ctx, event: Event, data: ProfileSwitch) -> None:
    """One conditional UPDATE: a collectivité the person does not (or no longer) belong to is
    refused, whatever the button says."""
    _ = ctx._
    if access.require_member(ctx) is None:
        return
    if not ctx.store.people.set_active(ctx.user.id, data.collectivite_id):
        access.refuse(ctx, _("Vous ne faites pas (ou plus) partie de cette collectivité."))
        return
    ctx.about = None
    active = ctx.member(refresh=True)
    assert active is not None
    ctx.toast(_("Collectivité active : {name}").format(name=active.collectivite.name)[:200])
    show(
        ctx,
        edit=True,
        note=ui.fmt(_("Vous travaillez maintenant pour {name}."), name=active.collectivite.name),
    )
