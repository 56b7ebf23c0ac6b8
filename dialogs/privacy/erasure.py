"""/supprimer (/delete): erase one's personal data, or (an administrator) delete the collectivité.

Erasing oneself is confirmed by a button; the last administrator of a team must first name another
one (or delete the collectivité). Deleting a collectivité is confirmed by typing its name; its
members and the referents of its OPSN are told through the outbox, in the same transaction.
"""

from __future__ import annotations

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.parsing import fold
from dialogs.privacy.buttons import DeleteCollectivite, EraseMe, EraseMeConfirmed, PrivacyCancel
from dialogs.privacy.texts import collectivite_deleted, member_erased
from dialogs.records import MemberInfo, MembershipInfo
from dialogs.replies import Button, Reply
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from dialogs.ui import button, confirm_rows

router = Router()

DELETE_FLOW = Flow.PRIVACY_DELETE.value  # typing the collectivité’s name to delete it


@router.command("supprimer", "delete", "effacer")
def erase_command(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    member = ctx.member()
    rows: list[tuple[Button, ...]] = [(button(_("Effacer mes données"), EraseMe()),)]
    text = _(
        "Que voulez-vous supprimer ?\n\n"
        "« Effacer mes données » : votre nom, votre identifiant de messagerie, votre langue, vos "
        "réglages et les messages en attente pour vous sont supprimés, et vous quittez l’équipe. "
        "Les réponses et l’historique de la collectivité restent, sous le nom « un ancien membre »."
    )
    if member is not None and member.is_admin:
        rows.append(
            (
                button(
                    _("Supprimer toute la collectivité"),
                    DeleteCollectivite(member.collectivite.id),
                ),
            )
        )
        text += "\n\n" + _(
            "« Supprimer toute la collectivité » : {name} disparaît d’Éco-clic avec ses réponses, "
            "son historique, son plan d’actions, ses invitations et son rattachement ; les membres "
            "et l’OPSN qui l’accompagne sont prévenus."
        ).format(name=member.collectivite.name)
    rows.append((button(_("Annuler"), PrivacyCancel()),))
    ctx.say(text, tuple(rows))


@router.button(PrivacyCancel)
def cancelled(ctx: Ctx, event: Event, data: PrivacyCancel) -> None:
    if flow_of(ctx.state) == DELETE_FLOW:
        set_flow(ctx.state, Flow.IDLE.value)
    ctx.say(ctx._("D’accord, rien n’a été supprimé."), edit=True)


def _last_admin_refusal(ctx: Ctx, member: MembershipInfo, team: list[MemberInfo]) -> str | None:
    """Why the speaker may not leave yet (the last administrator), or None."""
    me = next((m for m in team if m.user_id == ctx.user.id), None)
    if me is None or not me.is_admin or sum(m.is_admin for m in team) > 1:
        return None
    _ = ctx._
    name = member.collectivite.name
    if len(team) > 1:
        return _(
            "Vous êtes le seul administrateur ou la seule administratrice de {name} : nommez d’abord "
            "quelqu’un d’autre (/equipe, « Nommer administrateur »), puis effacez vos données."
        ).format(name=name)
    return _(
        "Vous êtes la seule personne de l’équipe de {name}. Supprimez d’abord la collectivité "
        "(/supprimer, « Supprimer toute la collectivité »), ou invitez quelqu’un et nommez-le "
        "administrateur."
    ).format(name=name)


def _refusal(ctx: Ctx, *, lock: bool = False) -> str | None:
    """Why the speaker may not erase themselves yet: the last administrator rule, checked in each
    of their collectivités (locked first when about to erase)."""
    for member in ctx.store.people.memberships(ctx.user.id):
        cid = member.collectivite.id
        if lock:
            ctx.store.people.lock_collectivite(cid)
        refusal = _last_admin_refusal(ctx, member, ctx.store.people.members(cid))
        if refusal is not None:
            return refusal
    return None


@router.button(EraseMe)
def ask_to_erase(ctx: Ctx, event: Event, data: EraseMe) -> None:
    _ = ctx._
    refusal = _refusal(ctx)
    if refusal is not None:
        access.refuse(ctx, refusal)
        return
    ctx.say(
        _(
            "Effacer définitivement vos données ? Je ne pourrai pas les retrouver. Si vous voulez "
            "d’abord les recevoir, tapez /mesdonnees."
        ),
        confirm_rows(
            ctx.tr,
            EraseMeConfirmed(),
            PrivacyCancel(),
            yes_label=_("Oui, effacer"),
            no_label=_("Non"),
        ),
        edit=True,
    )


@router.button(EraseMeConfirmed)
def erase(ctx: Ctx, event: Event, data: EraseMeConfirmed) -> None:
    """Leave every team at once; the administrators of each are told."""
    _ = ctx._
    refusal = _refusal(ctx, lock=True)
    if refusal is not None:
        access.refuse(ctx, refusal)
        return
    for member in ctx.store.people.memberships(ctx.user.id):
        cid, name = member.collectivite.id, member.collectivite.name

        def render(tr: Translator, name: str = name) -> Reply:
            return member_erased(tr, name)

        team = ctx.store.people.members(cid)
        for admin in (m for m in team if m.is_admin and m.user_id != ctx.user.id):
            ctx.notify(admin.user_id, f"member-erased:{cid}:{ctx.user.id}:{admin.user_id}", render)
    ctx.store.privacy.erase_person(ctx.user.id, ctx.now, own_event=True)
    ctx.state.clear()
    ctx.know_member(None)
    ctx.say(
        _(
            "C’est fait : vos données personnelles sont effacées. Si vous m’écrivez à nouveau, je "
            "vous accueillerai comme une nouvelle personne. Au revoir !"
        ),
        edit=True,
    )


@router.button(DeleteCollectivite)
def ask_collectivite_name(ctx: Ctx, event: Event, data: DeleteCollectivite) -> None:
    member = _own_collectivite(ctx, data.collectivite_id)
    if member is None:
        return
    set_flow(ctx.state, DELETE_FLOW, cid=member.collectivite.id)
    ctx.say(
        ctx._(
            "Pour confirmer, tapez le nom exact de la collectivité : « {name} ».\n\n"
            "Tout sera supprimé définitivement : réponses, historique, plan d’actions, invitations, "
            "rattachement. Pensez à /mesdonnees pour en garder une copie. /annuler pour renoncer."
        ).format(name=member.collectivite.name),
        ((button(ctx._("Annuler"), PrivacyCancel()),),),
    )


def _own_collectivite(ctx: Ctx, collectivite_id: object) -> MembershipInfo | None:
    """The speaker's membership in `collectivite_id` if they administer it (active or not)."""
    if access.require_member(ctx) is None:
        return None
    member = (
        access.membership_in(ctx, collectivite_id)
        if isinstance(collectivite_id, int) and not isinstance(collectivite_id, bool)
        else None
    )
    if member is None:
        access.refuse(
            ctx, ctx._("Cette demande concerne une autre collectivité : rien n’a été supprimé.")
        )
        return None
    if not member.is_admin:
        return access.require_admin_of(ctx, member.collectivite.id)  # says who may
    return member


@router.flow(DELETE_FLOW)
def collectivite_name_typed(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    wanted = ctx.state.get("cid")
    set_flow(ctx.state, Flow.IDLE.value)
    member = _own_collectivite(ctx, wanted)
    if member is None:
        return
    collectivite = member.collectivite
    if fold(" ".join(event.text.split())) != fold(collectivite.name):
        ctx.say(
            _(
                "Ce n’est pas le nom de la collectivité : rien n’a été supprimé. Tapez /supprimer "
                "pour recommencer."
            )
        )
        return
    cid = collectivite.id
    ctx.store.people.lock_collectivite(cid)
    name = collectivite.name
    told = {m.user_id for m in ctx.store.people.members(cid)}
    attachment = ctx.store.opsn.open_attachment(cid)
    if attachment is not None:
        told.update(ctx.store.opsn.referent_ids(attachment.opsn_id))
    told.discard(ctx.user.id)

    def render(tr: Translator) -> Reply:
        return collectivite_deleted(tr, name)

    for user_id in sorted(told):
        ctx.notify(user_id, f"collectivite-deleted:{cid}:{user_id}", render)
    ctx.store.privacy.delete_collectivite(cid, ctx.now)
    ctx.about = None
    ctx.know_member(ctx.store.people.membership(ctx.user.id))  # another one, if any
    ctx.say(
        _(
            "{name} est supprimée d’Éco-clic, avec ses réponses, son historique et son plan "
            "d’actions. Les membres et l’OPSN qui l’accompagnait sont prévenus."
        ).format(name=name)
    )
