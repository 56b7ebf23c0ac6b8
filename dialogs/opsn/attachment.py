"""/rattachement: a collectivité asks an OPSN to accompany it; the OPSN's referents accept or refuse.

Request side (collectivité administrators): list the OPSN (`AttachmentAllOpsn` for all of them),
confirm (`AttachmentAsk`), send (`AttachmentSend`). Decision side (referents of that OPSN):
`AttachmentAccept` / `AttachmentRefuse`. Withdrawing and ending live in `dialogs.opsn.ending`.
Accepting unlocks level 2 (`collectivites.level2_enabled`); the gate is `access.level2_available`.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.level2.menu import level2_entry
from dialogs.opsn.buttons import (
    AttachmentAccept,
    AttachmentAllOpsn,
    AttachmentAsk,
    AttachmentCancel,
    AttachmentEnd,
    AttachmentLocalOpsn,
    AttachmentRefuse,
    AttachmentSend,
    AttachmentWithdraw,
    FollowedPage,
)
from dialogs.opsn.profile import decision_buttons, load_attachment, profile
from dialogs.records import AttachmentInfo, AttachmentStatus, MembershipInfo, OpsnInfo
from dialogs.replies import Button, Reply
from dialogs.router import Router
from dialogs.team.people import local_date, name_of
from dialogs.ui import button, confirm_rows, fit

router = Router()

MAX_OPSN_BUTTONS = 40


@router.command("rattachement", "opsn", "attachment")
def attachment_command(ctx: Ctx, event: Event) -> None:
    member = access.require_member(ctx)
    if member is not None:
        show_attachment(ctx, member)


def show_attachment(
    ctx: Ctx, member: MembershipInfo, *, every_opsn: bool = False, edit: bool = False
) -> None:
    """The attachment screen; `every_opsn` lists all OPSN (edited in place, with a way back)."""
    _ = ctx._
    c = member.collectivite
    current = ctx.store.opsn.open_attachment(c.id)
    if current is not None:
        opsn = ctx.store.opsn.opsn(current.opsn_id)
        opsn_name = opsn.name if opsn else "?"
        if current.status == AttachmentStatus.ACCEPTED:
            text = _(
                "{name} est accompagnée par {opsn} depuis le {date}. Le niveau 2 du questionnaire "
                "est débloqué (/niveau2)."
            ).format(
                name=c.name,
                opsn=opsn_name,
                date=local_date(ctx, current.decided_at or current.created_at),
            )
            action = button(_("Mettre fin au rattachement"), AttachmentEnd(current.id))
        else:
            text = _(
                "Demande de rattachement envoyée à {opsn} le {date} : en attente de sa réponse."
            ).format(opsn=opsn_name, date=local_date(ctx, current.created_at))
            action = button(_("Retirer la demande"), AttachmentWithdraw(current.id))
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
    everything = ctx.store.opsn.all_opsn()
    local = [o for o in everything if c.departement in o.departements]
    others = [o for o in everything if o not in local]
    if not everything:
        ctx.say(intro + "\n\n" + _("Aucun OPSN n’est encore enregistré sur la plateforme."))
        return
    shown = local + others if every_opsn else local
    rows: list[tuple[Button, ...]] = [
        (button(fit(o.name), AttachmentAsk(o.id)),) for o in shown[:MAX_OPSN_BUTTONS]
    ]
    if not every_opsn and others:
        rows.append(
            (button(_("Voir tous les OPSN ({n})").format(n=len(everything)), AttachmentAllOpsn()),)
        )
    if every_opsn and local:
        rows.append((button(_("← OPSN du département"), AttachmentLocalOpsn()),))
    if local or every_opsn:
        text = _("Choisissez l’OPSN à qui demander le rattachement :")
        if local and not every_opsn:
            text = _("OPSN qui desservent le département {dep} :").format(dep=c.departement)
    else:
        text = _("Aucun OPSN enregistré ne dessert le département {dep}.").format(dep=c.departement)
    ctx.say(intro + "\n\n" + text, tuple(rows), edit=edit)


@router.button(AttachmentCancel)
def cancelled(ctx: Ctx, event: Event, data: AttachmentCancel) -> None:
    ctx.say(ctx._("D’accord, rien n’a changé."), edit=True)


@router.button(AttachmentAllOpsn)
def every_opsn(ctx: Ctx, event: Event, data: AttachmentAllOpsn) -> None:
    member = access.require_admin(ctx)
    if member is not None:
        show_attachment(ctx, member, every_opsn=True, edit=True)


@router.button(AttachmentLocalOpsn)
def local_opsn(ctx: Ctx, event: Event, data: AttachmentLocalOpsn) -> None:
    member = access.require_admin(ctx)
    if member is not None:
        show_attachment(ctx, member, edit=True)


def _admin_and_opsn(ctx: Ctx, opsn_id: int) -> tuple[MembershipInfo, OpsnInfo] | None:
    member = access.require_admin(ctx)
    if member is None:
        return None
    opsn = ctx.store.opsn.opsn(opsn_id)
    if opsn is None:
        access.refuse(ctx, ctx._("Cet OPSN n’existe plus."))
        return None
    return member, opsn


@router.button(AttachmentAsk)
def confirm_request(ctx: Ctx, event: Event, data: AttachmentAsk) -> None:
    found = _admin_and_opsn(ctx, data.opsn_id)
    if found is None:
        return
    member, opsn = found
    ctx.say(
        ctx._(
            "Demander à {opsn} d’accompagner {name} ? Ses référents verront le nom, le type, le "
            "département, la population, l’indice et la progression de la collectivité."
        ).format(opsn=opsn.name, name=member.collectivite.name),
        confirm_rows(
            ctx.tr,
            AttachmentSend(opsn.id),
            AttachmentCancel(),
            yes_label=ctx._("Envoyer la demande"),
        ),
        edit=True,
    )


@router.button(AttachmentSend)
def send_request(ctx: Ctx, event: Event, data: AttachmentSend) -> None:
    found = _admin_and_opsn(ctx, data.opsn_id)
    if found is None:
        return
    member, opsn = found
    _ = ctx._
    c = member.collectivite
    ctx.store.people.lock_collectivite(c.id)
    if ctx.store.opsn.open_attachment(c.id) is not None:
        ctx.toast(_("Déjà demandé."))
        show_attachment(ctx, member)
        return
    attachment = ctx.store.opsn.request_attachment(c.id, opsn.id, ctx.user.id, ctx.now)
    status = ctx.store.opsn.collectivite_status(c.id)
    assert status is not None
    referents = ctx.store.opsn.referent_ids(opsn.id)
    requester = ctx.user.display_name
    far = bool(opsn.departements) and c.departement not in opsn.departements

    def render(tr: Translator) -> Reply:
        outside = (
            "\n"
            + tr.gettext(
                "Attention : le département {dep} n’est pas dans le territoire de {opsn} ({deps})."
            ).format(dep=c.departement, opsn=opsn.name, deps=", ".join(opsn.departements))
            if far
            else ""
        )
        return Reply(
            tr.gettext("Nouvelle demande de rattachement à {opsn} :").format(opsn=opsn.name)
            + "\n\n"
            + profile(ctx, tr, status)
            + outside
            + "\n\n"
            + tr.gettext("Demande envoyée par {person}.").format(person=requester),
            decision_buttons(tr, attachment.id),
        )

    for referent in referents:
        ctx.notify(referent, f"attach-request:{attachment.id}:{referent}", render)
    text = _(
        "Demande envoyée à {opsn}. Vous serez prévenu·e dès qu’un référent aura répondu."
    ).format(opsn=opsn.name)
    if not referents:
        text += "\n" + _(
            "{opsn} n’a pas encore de référent inscrit ici : la demande l’attendra."
        ).format(opsn=opsn.name)
    ctx.say(
        text, ((button(_("Retirer la demande"), AttachmentWithdraw(attachment.id)),),), edit=True
    )


@router.button(AttachmentAccept)
def accept(ctx: Ctx, event: Event, data: AttachmentAccept) -> None:
    decide(ctx, data.attachment_id, accepted=True)


@router.button(AttachmentRefuse)
def refuse(ctx: Ctx, event: Event, data: AttachmentRefuse) -> None:
    decide(ctx, data.attachment_id, accepted=False)


def decide(ctx: Ctx, attachment_id: int, *, accepted: bool) -> None:
    """A referent of the OPSN asked decides; the first decision wins, the others are told who."""
    _ = ctx._
    attachment = load_attachment(ctx, attachment_id)
    if attachment is None or not access.require_referent(ctx, attachment.opsn_id):
        return
    ctx.store.people.lock_collectivite(attachment.collectivite_id)
    fresh = ctx.store.opsn.attachment(attachment.id)
    status = ctx.store.opsn.collectivite_status(attachment.collectivite_id)
    opsn = ctx.store.opsn.opsn(attachment.opsn_id)
    assert fresh is not None and status is not None and opsn is not None
    name = status.collectivite.name
    if fresh.status != AttachmentStatus.PENDING or not ctx.store.opsn.decide_attachment(
        fresh.id, accepted, ctx.user.id, ctx.now
    ):
        already_decided(ctx, ctx.store.opsn.attachment(fresh.id) or fresh, name)
        return

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

    for m in ctx.store.people.members(attachment.collectivite_id):
        ctx.notify(m.user_id, f"attach-decision:{fresh.id}:{m.user_id}", render)
    if accepted:
        text = _("✅ {opsn} accompagne désormais {name}. Retrouvez-la dans /collectivites.")
    else:
        text = _("Demande de {name} refusée. La collectivité est prévenue.")
    ctx.say(text.format(opsn=opsn.name, name=name), followed_row(ctx, opsn.id), edit=True)


def followed_row(ctx: Ctx, opsn_id: int) -> tuple[tuple[Button, ...], ...]:
    """The way on after a decision: the OPSN's followed collectivités (no dead end)."""
    return ((button(ctx._("Mes collectivités"), FollowedPage(opsn_id=opsn_id, page=0)),),)


def already_decided(ctx: Ctx, attachment: AttachmentInfo, name: str) -> None:
    _ = ctx._
    who = name_of(ctx, attachment.decided_by)
    when = local_date(ctx, attachment.decided_at) if attachment.decided_at else ""
    if attachment.status == AttachmentStatus.WITHDRAWN:
        text = _("{name} a retiré cette demande de rattachement.").format(name=name)
    elif attachment.decided_by is None:
        text = _("Cette demande de {name} n’est plus en attente.").format(name=name)
    elif attachment.status == AttachmentStatus.REFUSED:
        text = _("Cette demande de {name} a déjà été refusée par {who} le {date}.").format(
            name=name, who=who, date=when
        )
    else:
        text = _("Cette demande de {name} a déjà été acceptée par {who} le {date}.").format(
            name=name, who=who, date=when
        )
    ctx.toast(_("Déjà traité."))
    ctx.say(text, followed_row(ctx, attachment.opsn_id), edit=True)


@router.command("niveau2", "level2")
def level2_command(ctx: Ctx, event: Event) -> None:
    level2_entry(ctx)
