"""/collectivites for OPSN referents, and the end of an attachment (withdrawn or ended) on either side.

A referent sees only collectivités whose attachment to one of their OPSN is accepted (plus the pending
requests addressed to it, with their decision buttons). Lists are paged to stay under message limits.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.opsn.attachment import decision_buttons, profile
from dialogs.ports import AttachmentInfo, CollectiviteStatus, OpsnInfo
from dialogs.replies import Button, Reply
from dialogs.router import Router
from dialogs.team.people import local_date

router = Router()

PAGE = 20
MAX_PENDING_SHOWN = 10


def follow_line(ctx: Ctx, number: int, status: CollectiviteStatus) -> str:
    _ = ctx._
    c = status.collectivite
    total = len(ctx.ref.level_questions(1)) or 1
    percent = ctx.tr.percent(round(100 * min(status.answered, total) / total))
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
        percent=percent,
        date=local_date(ctx, status.last_activity_at),
    )


async def show_followed(
    ctx: Ctx, opsn: OpsnInfo, page: int = 0, *, with_pending: bool = True
) -> None:
    _ = ctx._
    followed = await ctx.store.opsn.followed(opsn.id)
    pages = max(1, -(-len(followed) // PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = followed[page * PAGE : (page + 1) * PAGE]
    if not followed:
        text = _("{opsn} n’accompagne encore aucune collectivité ici.").format(opsn=opsn.name)
    else:
        text = _("Collectivités accompagnées par {opsn} ({count}) :").format(
            opsn=opsn.name, count=len(followed)
        )
        if pages > 1:
            text += " " + _("page {page}/{pages}").format(page=page + 1, pages=pages)
        text += "\n" + "\n".join(
            follow_line(ctx, page * PAGE + i, status) for i, (_a, status) in enumerate(chunk, 1)
        )
    rows: list[tuple[Button, ...]] = []
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(Button(_("◀ Précédentes"), f"at:l:{opsn.id}:{page - 1}"))
        if page < pages - 1:
            nav.append(Button(_("Suivantes ▶"), f"at:l:{opsn.id}:{page + 1}"))
        rows.append(tuple(nav))
    if followed:
        rows.append((Button(_("Mettre fin à un suivi"), f"at:ends:{opsn.id}:{page}"),))
    ctx.say(text, tuple(rows))
    if not with_pending:
        return
    pending = await ctx.store.opsn.pending_for(opsn.id)
    for attachment, status in pending[:MAX_PENDING_SHOWN]:
        ctx.say(
            _("Demande de rattachement en attente :") + "\n\n" + profile(ctx, ctx.tr, status),
            decision_buttons(ctx.tr, attachment.id),
        )
    if len(pending) > MAX_PENDING_SHOWN:
        ctx.say(
            _(
                "… et {n} autres demandes en attente : répondez à celles-ci, puis tapez à nouveau /collectivites."
            ).format(n=len(pending) - MAX_PENDING_SHOWN)
        )


@router.command("collectivites", "followed", "suivi")
async def followed_command(ctx: Ctx, event: Event) -> None:
    for opsn in await access.require_referent(ctx):
        await show_followed(ctx, opsn)


async def _my_opsn(ctx: Ctx, args: list[str]) -> tuple[OpsnInfo, int] | None:
    """ "at:l:<opsn>:<page>" style arguments, checked against the speaker's OPSN."""
    if len(args) < 3 or not args[1].isdigit() or not args[2].isdigit():
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
        return None
    mine = await access.require_referent(ctx, int(args[1]))
    return (mine[0], int(args[2])) if mine else None


async def page_button(ctx: Ctx, args: list[str]) -> None:
    found = await _my_opsn(ctx, args)
    if found is not None:
        await show_followed(ctx, found[0], found[1], with_pending=False)


async def pick_to_end(ctx: Ctx, args: list[str]) -> None:
    found = await _my_opsn(ctx, args)
    if found is None:
        return
    opsn, page = found
    followed = (await ctx.store.opsn.followed(opsn.id))[page * PAGE : (page + 1) * PAGE]
    if not followed:
        ctx.say(ctx._("{opsn} n’accompagne encore aucune collectivité ici.").format(opsn=opsn.name))
        return
    ctx.say(
        ctx._("Quel suivi voulez-vous arrêter ?"),
        tuple((Button(s.collectivite.name, f"at:end:{a.id}"),) for a, s in followed),
    )


async def _side(ctx: Ctx, attachment: AttachmentInfo) -> str | None:
    """ "collectivite" for an administrator of that collectivité, "opsn" for a referent of that OPSN."""
    member = await ctx.member()
    if member is not None and member.collectivite.id == attachment.collectivite_id:
        return "collectivite" if member.is_admin else None
    if any(o.id == attachment.opsn_id for o in await access.referent_of(ctx)):
        return "opsn"
    return None


async def withdraw(ctx: Ctx, attachment: AttachmentInfo) -> None:
    _ = ctx._
    member = await access.require_admin(ctx)
    if member is None:
        return
    if member.collectivite.id != attachment.collectivite_id:
        access.refuse(ctx, _("Cette demande concerne une autre collectivité."))
        return
    await ctx.store.team.lock_collectivite(attachment.collectivite_id)
    if not await ctx.store.opsn.close_attachment(attachment.id, "withdrawn", ctx.user.id, ctx.now):
        ctx.toast(_("Déjà traité."))
        ctx.say(
            _("Cette demande n’est plus en attente : /rattachement pour voir où vous en êtes."),
            edit=True,
        )
        return
    name = member.collectivite.name
    for uid in await ctx.store.opsn.referent_ids(attachment.opsn_id):

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext("{name} a retiré sa demande de rattachement.").format(name=name)
            )

        await ctx.notify(uid, f"attach-withdrawn:{attachment.id}:{uid}", render)
    ctx.say(_("Demande retirée. Vous pouvez en envoyer une autre avec /rattachement."), edit=True)


async def end(ctx: Ctx, attachment: AttachmentInfo, *, confirmed: bool) -> None:
    _ = ctx._
    side = await _side(ctx, attachment)
    if side is None:
        access.refuse(
            ctx,
            _(
                "Seuls les administrateurs de la collectivité et les référents de l’OPSN concernés "
                "peuvent mettre fin à ce rattachement."
            ),
        )
        return
    status = await ctx.store.opsn.collectivite_status(attachment.collectivite_id)
    opsn = await ctx.store.opsn.opsn(attachment.opsn_id)
    assert status is not None and opsn is not None
    name = status.collectivite.name
    if not confirmed:
        ctx.say(
            _(
                "Mettre fin à l’accompagnement de {name} par {opsn} ? Le niveau 2 sera de nouveau "
                "verrouillé (les réponses sont conservées)."
            ).format(name=name, opsn=opsn.name),
            (
                (
                    Button(_("Oui, mettre fin"), f"at:endok:{attachment.id}"),
                    Button(_("Non"), "at:no"),
                ),
            ),
            edit=True,
        )
        return
    await ctx.store.team.lock_collectivite(attachment.collectivite_id)
    if not await ctx.store.opsn.close_attachment(attachment.id, "ended", ctx.user.id, ctx.now):
        ctx.toast(_("Déjà traité."))
        ctx.say(_("Ce rattachement n’est plus en cours."), edit=True)
        return
    await ctx.member(refresh=True)
    by = opsn.name if side == "opsn" else name
    targets = set(await ctx.store.opsn.member_ids(attachment.collectivite_id))
    targets |= set(await ctx.store.opsn.referent_ids(attachment.opsn_id))
    for uid in sorted(targets - {ctx.user.id}):

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext(
                    "{by} a mis fin à l’accompagnement de {name} par {opsn}. Le niveau 2 du "
                    "questionnaire est de nouveau verrouillé."
                ).format(by=by, name=name, opsn=opsn.name)
            )

        await ctx.notify(uid, f"attach-ended:{attachment.id}:{uid}", render)
    ctx.say(
        _("L’accompagnement de {name} par {opsn} est terminé.").format(name=name, opsn=opsn.name),
        edit=True,
    )
