"""/collectivites for OPSN referents: the collectivités they accompany, and the pending requests.

A referent sees only collectivités whose attachment to one of their OPSN is accepted (plus the pending
requests addressed to it, with their decision buttons). Lists are paged to stay under message limits.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.opsn.buttons import AttachmentEnd, FollowedEndPick, FollowedPage, SupervisePick
from dialogs.opsn.profile import decision_buttons, profile, progress_percent
from dialogs.opsn.push_buttons import PushList, PushStart
from dialogs.records import AttachmentInfo, CollectiviteStatus, OpsnInfo
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.team.people import local_date
from dialogs.ui import button, page_nav, paginate

router = Router()
Followed = tuple[AttachmentInfo, CollectiviteStatus]

PAGE = 20
MAX_PENDING_SHOWN = 10


def follow_line(ctx: Ctx, number: int, status: CollectiviteStatus) -> str:
    _ = ctx._
    c = status.collectivite
    score = (
        _("indice {index}, lettre {grade}").format(index=status.index, grade=status.grade)
        if status.answered
        else _("pas encore commencé")
    )
    return _(
        "{n}. {name} ({dep}) — {score} · {percent} rempli · dernière activité le {date}"
    ).format(
        n=number,
        name=c.name,
        dep=c.departement,
        score=score,
        percent=ctx.tr.percent(progress_percent(ctx, status)),
        date=local_date(ctx, status.last_activity_at),
    )


def show_followed(ctx: Ctx, opsn: OpsnInfo, number: int = 0, *, with_pending: bool = True) -> None:
    _ = ctx._
    followed = ctx.store.opsn.followed(opsn.id)
    page = paginate(followed, number, PAGE)
    if not followed:
        text = _("{opsn} n’accompagne encore aucune collectivité ici.").format(opsn=opsn.name)
    else:
        text = _("Collectivités accompagnées par {opsn} ({count}) :").format(
            opsn=opsn.name, count=len(followed)
        )
        if page.count > 1:
            text += " " + _("page {page}/{pages}").format(page=page.number + 1, pages=page.count)
        text += "\n" + "\n".join(
            follow_line(ctx, page.first_index + i, status)
            for i, (_a, status) in enumerate(page.items, 1)
        )
    rows: list[tuple[Button, ...]] = []
    nav = page_nav(ctx.tr, page, lambda n: FollowedPage(opsn.id, n))
    if nav:
        rows.append(nav)
    if followed:
        rows.append((button(_("Consulter une fiche"), SupervisePick(opsn.id, page.number)),))
        rows.append((button(_("Proposer une action"), PushStart(opsn.id, page.number)),))
        rows.append((button(_("Mettre fin à un suivi"), FollowedEndPick(opsn.id, page.number)),))
    rows.append((button(_("Propositions envoyées"), PushList(opsn.id)),))
    ctx.say(text, tuple(rows))
    if not with_pending:
        return
    pending = ctx.store.opsn.pending_for(opsn.id)
    for attachment, status in pending[:MAX_PENDING_SHOWN]:
        ctx.say(
            _("Demande de rattachement en attente :") + "\n\n" + profile(ctx, ctx.tr, status),
            decision_buttons(ctx.tr, attachment.id),
        )
    hidden = len(pending) - MAX_PENDING_SHOWN
    if hidden > 0:
        ctx.say(
            ctx.tr.ngettext(
                "… et {n} autre demande en attente : répondez à celles-ci, puis tapez à nouveau /collectivites.",
                "… et {n} autres demandes en attente : répondez à celles-ci, puis tapez à nouveau /collectivites.",
                hidden,
            ).format(n=hidden)
        )


@router.command("collectivites", "followed", "suivi")
def followed_command(ctx: Ctx, event: Event) -> None:
    for opsn in access.require_referent(ctx):
        show_followed(ctx, opsn)


@router.button(FollowedPage)
def followed_page(ctx: Ctx, event: Event, data: FollowedPage) -> None:
    mine = access.require_referent(ctx, data.opsn_id)
    if mine:
        show_followed(ctx, mine[0], data.page, with_pending=False)


def followed_by_referent(ctx: Ctx, opsn_id: int) -> tuple[OpsnInfo, list[Followed]] | None:
    """The speaker's OPSN and the collectivités it follows; None once the speaker was told why
    not (not its referent, or nothing followed yet)."""
    mine = access.require_referent(ctx, opsn_id)
    if not mine:
        return None
    opsn = mine[0]
    followed = ctx.store.opsn.followed(opsn.id)
    if not followed:
        ctx.say(ctx._("{opsn} n’accompagne encore aucune collectivité ici.").format(opsn=opsn.name))
        return None
    return opsn, followed


@router.button(FollowedEndPick)
def pick_to_end(ctx: Ctx, event: Event, data: FollowedEndPick) -> None:
    found = followed_by_referent(ctx, data.opsn_id)
    if found is None:
        return
    _opsn, followed = found
    page = paginate(followed, data.page, PAGE)
    ctx.say(
        ctx._("Quel suivi voulez-vous arrêter ?"),
        tuple((button(s.collectivite.name, AttachmentEnd(a.id)),) for a, s in page.items),
    )
