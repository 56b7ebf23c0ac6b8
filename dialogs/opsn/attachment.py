"""/rattachement: a collectivité asks an OPSN to accompany it; the OPSN's referents accept or refuse.

Button data: "at:<action>:<id>". Request side (collectivité administrators): "at:all" lists every OPSN,
"at:rq:<opsn>" asks for confirmation, "at:send:<opsn>" sends, "at:wd:<attachment>" withdraws a pending
request. Decision side (referents of that OPSN): "at:a:<attachment>" / "at:r:<attachment>". Either side:
"at:end:<attachment>" then "at:endok:<attachment>" ends an accepted attachment (level 2 locks again).
Accepting unlocks level 2 (`collectivites.level2_enabled`); the gate is `access.level2_available`.
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.ports import AttachmentInfo, CollectiviteStatus, MembershipInfo, OpsnInfo
from dialogs.replies import Button, Reply
from dialogs.router import Router, button_args
from dialogs.team.people import local_date, name_of

router = Router()

MAX_OPSN_BUTTONS = 40


def profile(ctx: Ctx, tr: Translator, status: CollectiviteStatus) -> str:
    """What a referent needs to decide: name, type, département, population, index, progress."""
    c = status.collectivite
    total = len(ctx.ref.level_questions(1)) or 1
    percent = round(100 * min(status.answered, total) / total)
    lines = [
        c.name,
        tr.gettext("{kind} · département {dep} · {pop} habitants").format(
            kind=ui.kind_label(tr, c.kind), dep=c.departement, pop=tr.number(c.population)
        ),
    ]
    if status.answered:
        lines.append(
            tr.gettext(
                "Indice {index}/100, lettre {grade} · questionnaire rempli à {percent}"
            ).format(index=status.index, grade=status.grade, percent=tr.percent(percent))
        )
    else:
        lines.append(tr.gettext("Questionnaire pas encore commencé"))
    return "\n".join(lines)


def decision_buttons(tr: Translator, attachment_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(tr.gettext("Accepter"), f"at:a:{attachment_id}"),
            Button(tr.gettext("Refuser"), f"at:r:{attachment_id}"),
        ),
    )


@router.command("rattachement", "opsn", "attachment")
async def attachment_command(ctx: Ctx, event: Event) -> None:
    member = await access.require_member(ctx)
    if member is not None:
        await show_attachment(ctx, member)


async def show_attachment(ctx: Ctx, member: MembershipInfo, *, every_opsn: bool = False) -> None:
    _ = ctx._
    c = member.collectivite
    current = await ctx.store.opsn.open_attachment(c.id)
    if current is not None:
        opsn = await ctx.store.opsn.opsn(current.opsn_id)
        opsn_name = opsn.name if opsn else "?"
        if current.status == "accepted":
            text = _(
                "{name} est accompagnée par {opsn} depuis le {date}. Le niveau 2 du questionnaire "
                "est débloqué (/niveau2)."
            ).format(
                name=c.name,
                opsn=opsn_name,
                date=local_date(ctx, current.decided_at or current.created_at),
            )
            action = Button(_("Mettre fin au rattachement"), f"at:end:{current.id}")
        else:
            text = _(
                "Demande de rattachement envoyée à {opsn} le {date} : en attente de sa réponse."
            ).format(opsn=opsn_name, date=local_date(ctx, current.created_at))
            action = Button(_("Retirer la demande"), f"at:wd:{current.id}")
        if member.is_admin:
            ctx.say(text, ((action,),))
        else:
            ctx.say(
                text + "\n" + _("Seuls les administrateurs de la collectivité peuvent le modifier.")
            )
        return
    intro = _(
        "Un OPSN (opérateur public de services numériques) accompagne les collectivités de son "
        "territoire. Une fois votre demande acceptée, il suit vos progrès et le niveau 2 du "
        "questionnaire est débloqué."
    )
    if not member.is_admin:
        ctx.say(
            intro
            + "\n\n"
            + _(
                "{name} n’est rattachée à aucun OPSN. Seuls ses administrateurs peuvent demander un "
                "rattachement (voir /equipe)."
            ).format(name=c.name)
        )
        return
    everything = await ctx.store.opsn.all_opsn()
    local = [o for o in everything if c.departement in o.departements]
    others = [o for o in everything if o not in local]
    if not everything:
        ctx.say(intro + "\n\n" + _("Aucun OPSN n’est encore enregistré sur la plateforme."))
        return
    shown = local + others if every_opsn else local
    rows: list[tuple[Button, ...]] = [
        (Button(o.name, f"at:rq:{o.id}"),) for o in shown[:MAX_OPSN_BUTTONS]
    ]
    if not every_opsn and others:
        rows.append((Button(_("Voir tous les OPSN ({n})").format(n=len(everything)), "at:all"),))
    if local or every_opsn:
        text = _("Choisissez l’OPSN à qui demander le rattachement :")
        if local and not every_opsn:
            text = _("OPSN qui desservent le département {dep} :").format(dep=c.departement)
    else:
        text = _("Aucun OPSN enregistré ne dessert le département {dep}.").format(dep=c.departement)
    ctx.say(intro + "\n\n" + text, tuple(rows))


async def _attachment_arg(ctx: Ctx, args: list[str]) -> AttachmentInfo | None:
    attachment = (
        await ctx.store.opsn.attachment(int(args[1]))
        if len(args) > 1 and args[1].isdigit()
        else None
    )
    if attachment is None:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
    return attachment


@router.button("at")
async def attachment_button(ctx: Ctx, event: Event) -> None:
    from dialogs.opsn import follow as opsn_follow

    args = button_args(event.data)
    action = args[0] if args else ""
    if action == "no":
        ctx.say(ctx._("D’accord, rien n’a changé."), edit=True)
    elif action == "l":
        await opsn_follow.page_button(ctx, args)
    elif action in ("all", "rq", "send"):
        member = await access.require_admin(ctx)
        if member is None:
            return
        if action == "all":
            await show_attachment(ctx, member, every_opsn=True)
            return
        opsn = (
            await ctx.store.opsn.opsn(int(args[1])) if len(args) > 1 and args[1].isdigit() else None
        )
        if opsn is None:
            access.refuse(ctx, ctx._("Cet OPSN n’existe plus."))
        elif action == "rq":
            ctx.say(
                ctx._(
                    "Demander à {opsn} d’accompagner {name} ? Ses référents verront le nom, le type, le "
                    "département, la population, l’indice et la progression de la collectivité."
                ).format(opsn=opsn.name, name=member.collectivite.name),
                (
                    (
                        Button(ctx._("Envoyer la demande"), f"at:send:{opsn.id}"),
                        Button(ctx._("Annuler"), "at:no"),
                    ),
                ),
                edit=True,
            )
        else:
            await send_request(ctx, member, opsn)
    elif action in ("a", "r"):
        attachment = await _attachment_arg(ctx, args)
        if attachment is not None:
            await decide(ctx, attachment, accepted=action == "a")
    elif action == "wd":
        attachment = await _attachment_arg(ctx, args)
        if attachment is not None:
            await opsn_follow.withdraw(ctx, attachment)
    elif action in ("end", "endok"):
        attachment = await _attachment_arg(ctx, args)
        if attachment is not None:
            await opsn_follow.end(ctx, attachment, confirmed=action == "endok")
    elif action == "ends":
        await opsn_follow.pick_to_end(ctx, args)
    else:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))


async def send_request(ctx: Ctx, member: MembershipInfo, opsn: OpsnInfo) -> None:
    _ = ctx._
    c = member.collectivite
    await ctx.store.team.lock_collectivite(c.id)
    if await ctx.store.opsn.open_attachment(c.id) is not None:
        ctx.toast(_("Déjà demandé."))
        await show_attachment(ctx, member)
        return
    attachment = await ctx.store.opsn.request_attachment(c.id, opsn.id, ctx.user.id, ctx.now)
    status = await ctx.store.opsn.collectivite_status(c.id)
    assert status is not None
    referents = await ctx.store.opsn.referent_ids(opsn.id)
    requester = ctx.user.display_name
    for referent in referents:

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext("Nouvelle demande de rattachement à {opsn} :").format(opsn=opsn.name)
                + "\n\n"
                + profile(ctx, tr, status)
                + "\n\n"
                + tr.gettext("Demande envoyée par {person}.").format(person=requester),
                decision_buttons(tr, attachment.id),
            )

        await ctx.notify(referent, f"attach-request:{attachment.id}:{referent}", render)
    text = _(
        "Demande envoyée à {opsn}. Vous serez prévenu·e dès qu’un référent aura répondu."
    ).format(opsn=opsn.name)
    if not referents:
        text += "\n" + _(
            "{opsn} n’a pas encore de référent inscrit ici : la demande l’attendra."
        ).format(opsn=opsn.name)
    ctx.say(text, ((Button(_("Retirer la demande"), f"at:wd:{attachment.id}"),),), edit=True)


async def decide(ctx: Ctx, attachment: AttachmentInfo, *, accepted: bool) -> None:
    _ = ctx._
    if not await access.require_referent(ctx, attachment.opsn_id):
        return
    await ctx.store.team.lock_collectivite(attachment.collectivite_id)
    fresh = await ctx.store.opsn.attachment(attachment.id)
    status = await ctx.store.opsn.collectivite_status(attachment.collectivite_id)
    opsn = await ctx.store.opsn.opsn(attachment.opsn_id)
    assert fresh is not None and status is not None and opsn is not None
    name = status.collectivite.name
    if fresh.status != "pending" or not await ctx.store.opsn.decide_attachment(
        fresh.id, accepted, ctx.user.id, ctx.now
    ):
        await already_decided(ctx, await ctx.store.opsn.attachment(fresh.id) or fresh, name)
        return
    for uid in await ctx.store.opsn.member_ids(attachment.collectivite_id):

        def render(tr: Translator) -> Reply:
            if accepted:
                return Reply(
                    tr.gettext(
                        "{opsn} a accepté d’accompagner {name}. Le niveau 2 du questionnaire est "
                        "débloqué (/niveau2)."
                    ).format(opsn=opsn.name, name=name)
                )
            return Reply(
                tr.gettext(
                    "{opsn} n’a pas accepté la demande de rattachement de {name}. Vous pouvez en "
                    "choisir un autre avec /rattachement."
                ).format(opsn=opsn.name, name=name)
            )

        await ctx.notify(uid, f"attach-decision:{fresh.id}:{uid}", render)
    if accepted:
        text = _("✅ {opsn} accompagne désormais {name}. Retrouvez-la dans /collectivites.")
    else:
        text = _("Demande de {name} refusée. La collectivité est prévenue.")
    ctx.say(text.format(opsn=opsn.name, name=name), edit=True)


async def already_decided(ctx: Ctx, attachment: AttachmentInfo, name: str) -> None:
    _ = ctx._
    who = await name_of(ctx, attachment.decided_by)
    when = local_date(ctx, attachment.decided_at) if attachment.decided_at else ""
    if attachment.status == "withdrawn":
        text = _("{name} a retiré cette demande de rattachement.").format(name=name)
    elif attachment.decided_by is None:
        text = _("Cette demande de {name} n’est plus en attente.").format(name=name)
    elif attachment.status == "refused":
        text = _("Cette demande de {name} a déjà été refusée par {who} le {date}.").format(
            name=name, who=who, date=when
        )
    else:
        text = _("Cette demande de {name} a déjà été acceptée par {who} le {date}.").format(
            name=name, who=who, date=when
        )
    ctx.toast(_("Déjà traité."))
    ctx.say(text, edit=True)


@router.command("niveau2", "level2")
async def level2_command(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    member = await access.require_member(ctx)
    if member is None:
        return
    if access.level2_available(member):
        ctx.say(
            _(
                "Le niveau 2 est débloqué pour {name}. Ses questions (achat responsable, données, "
                "cybersécurité, inclusion, territoires connectés) arrivent bientôt ici."
            ).format(name=member.collectivite.name)
        )
    else:
        ctx.say(
            _(
                "Le niveau 2 se débloque quand un OPSN accepte d’accompagner {name}. Tapez "
                "/rattachement pour en faire la demande."
            ).format(name=member.collectivite.name)
        )
