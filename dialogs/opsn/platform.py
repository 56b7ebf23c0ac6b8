"""Platform administration in chat (/admin, for `ECOCLIC_ADMINS`), and the referent deep link.

Platform administrators create OPSN and invite their referents; the same operations exist on the
command line (`ecoclic admin …`). "/start ref_<token>" makes whoever opens it a referent of one OPSN,
once. Buttons: `PlatformList`, `PlatformAdd`, `PlatformReferent` (dialogs.opsn.buttons).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.opsn.buttons import PlatformAdd, PlatformList, PlatformReferent
from dialogs.opsn.follow import show_followed
from dialogs.parsing import parse_departement
from dialogs.privacy.texts import short_notice
from dialogs.records import InvitationKind, OpsnInfo
from dialogs.replies import Reply
from dialogs.router import Router
from dialogs.state import Flow, set_flow
from dialogs.team.people import deep_link, local_date, new_token, token_from
from dialogs.ui import button

router = Router()

REFERENT_PREFIX = "ref_"
REFERENT_VALIDITY = timedelta(days=7)
ADD_FLOW = "opsn_add"
MAX_OPSN_BUTTONS = 40
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def parse_slug(text: str) -> str | None:
    slug = text.strip().lower()
    return slug if SLUG_RE.match(slug) else None


def parse_departements(text: str) -> tuple[str, ...] | None:
    """ "60, 02 2a" -> ("60", "02", "2A"); None if one code is unknown. Empty text: no département."""
    codes: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        code = parse_departement(part)
        if code is None:
            return None
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def opsn_line(opsn: OpsnInfo, tr: Translator) -> str:
    deps = ", ".join(opsn.departements) or tr.gettext("départements non renseignés")
    return f"• {opsn.name} ({opsn.slug}) — {deps}"


@router.command("admin")
def admin_command(ctx: Ctx, event: Event) -> None:
    if not access.require_platform_admin(ctx):
        return
    _ = ctx._
    count = len(ctx.store.opsn.all_opsn())
    ctx.say(
        _("Administration de la plateforme. OPSN enregistrés : {count}.").format(count=count),
        (
            (
                button(_("Liste des OPSN"), PlatformList()),
                button(_("Ajouter un OPSN"), PlatformAdd()),
            ),
            (button(_("Inviter un référent"), PlatformReferent()),),
        ),
    )


@router.button(PlatformList)
def list_opsn(ctx: Ctx, event: Event, data: PlatformList) -> None:
    if not access.require_platform_admin(ctx):
        return
    everything = ctx.store.opsn.all_opsn()
    ctx.say(
        "\n".join(opsn_line(o, ctx.tr) for o in everything)
        if everything
        else ctx._("Aucun OPSN enregistré.")
    )


@router.button(PlatformAdd)
def add_opsn(ctx: Ctx, event: Event, data: PlatformAdd) -> None:
    if not access.require_platform_admin(ctx):
        return
    set_flow(ctx.state, ADD_FLOW)
    ctx.say(
        ctx._(
            "Tapez le nom, l’identifiant court et les départements, séparés par « ; ».\n"
            "Exemple : Adico ; adico ; 60, 02\n/annuler pour abandonner."
        )
    )


@router.button(PlatformReferent)
def invite_referent(ctx: Ctx, event: Event, data: PlatformReferent) -> None:
    """Without an OPSN: pick one; with one: a single-use referent link for it."""
    if not access.require_platform_admin(ctx):
        return
    _ = ctx._
    if data.opsn_id is None:
        everything = ctx.store.opsn.all_opsn()
        if not everything:
            ctx.say(_("Aucun OPSN enregistré : ajoutez-en un d’abord."))
            return
        ctx.say(
            _("Pour quel OPSN ?"),
            tuple((button(o.name, PlatformReferent(o.id)),) for o in everything[:MAX_OPSN_BUTTONS]),
        )
        return
    opsn = ctx.store.opsn.opsn(data.opsn_id)
    if opsn is None:
        access.refuse(ctx, _("Cet OPSN n’existe plus."))
        return
    link, expires = create_referent_invitation(ctx, opsn)
    ctx.say(
        _(
            "Lien à usage unique pour devenir référent de {opsn}, valable jusqu’au {date}. "
            "Transmettez-le à la personne concernée :"
        ).format(opsn=opsn.name, date=local_date(ctx, expires))
    )
    ctx.say(link)


def create_referent_invitation(ctx: Ctx, opsn: OpsnInfo) -> tuple[str, datetime]:
    token = new_token()
    expires = ctx.now + REFERENT_VALIDITY
    ctx.store.people.create_invitation(
        token=token,
        kind=InvitationKind.REFERENT,
        collectivite_id=None,
        opsn_id=opsn.id,
        created_by=ctx.user.id,
        expires_at=expires,
        now=ctx.now,
    )
    return deep_link(ctx, REFERENT_PREFIX + token), expires


@router.flow(ADD_FLOW)
def add_typed(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if not access.require_platform_admin(ctx):
        set_flow(ctx.state, Flow.IDLE.value)
        return
    parts = [p.strip() for p in event.text.split(";")]
    if len(parts) != 3:
        ctx.say(_("Il faut trois parties séparées par « ; » : nom ; identifiant ; départements."))
        return
    name, slug_text, deps_text = parts
    slug = parse_slug(slug_text)
    deps = parse_departements(deps_text)
    if not 2 <= len(name) <= 200:
        ctx.say(_("Le nom doit compter entre 2 et 200 caractères."))
    elif slug is None:
        ctx.say(
            _(
                "L’identifiant court ne prend que des minuscules, des chiffres et des tirets (40 au plus)."
            )
        )
    elif deps is None:
        ctx.say(_("Un des départements est inconnu : tapez des numéros comme 60, 02, 2A ou 974."))
    elif ctx.store.opsn.opsn_by_slug(slug) is not None:
        ctx.say(_("L’identifiant « {slug} » est déjà pris.").format(slug=slug))
    else:
        opsn, _created = ctx.store.opsn.save_opsn(slug, name, deps, ctx.now)
        set_flow(ctx.state, Flow.IDLE.value)
        ctx.say(
            _("OPSN enregistré :") + "\n" + opsn_line(opsn, ctx.tr),
            ((button(_("Inviter un référent"), PlatformReferent(opsn.id)),),),
        )


@router.deep_link(REFERENT_PREFIX)
def open_referent_invitation(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if access.payload_blocked(ctx):
        return
    token = token_from(event.text, REFERENT_PREFIX)
    invitation = ctx.store.people.invitation(token) if token else None
    opsn = (
        ctx.store.opsn.opsn(invitation.opsn_id)
        if invitation is not None
        and invitation.kind == InvitationKind.REFERENT
        and invitation.opsn_id
        else None
    )
    if invitation is None or opsn is None:
        access.payload_failed(
            ctx, _("Ce lien de référent n’est pas valable. Vérifiez qu’il a été copié en entier.")
        )
        return
    if opsn.id in {o.id for o in access.referent_of(ctx)}:
        ctx.say(
            _(
                "Vous êtes déjà référent de {opsn}. /collectivites pour voir vos collectivités."
            ).format(opsn=opsn.name)
        )
        return
    if (
        invitation.used_by is not None
        or invitation.expires_at <= ctx.now
        or not (ctx.store.people.use_invitation(invitation.token, ctx.user.id, ctx.now))
    ):
        access.payload_failed(
            ctx,
            _(
                "Ce lien de référent a déjà servi ou a expiré. Demandez-en un nouveau à "
                "l’administrateur de la plateforme."
            ),
        )
        return
    ctx.store.opsn.add_referent(opsn.id, ctx.user.id, ctx.now)
    if flow_is_transient(ctx):
        set_flow(ctx.state, Flow.IDLE.value)
    person = ctx.user.display_name or _("Une personne")
    if invitation.created_by is not None and invitation.created_by != ctx.user.id:

        def render(tr: Translator) -> Reply:
            return Reply(
                tr.gettext("{person} est maintenant référent de {opsn}.").format(
                    person=person, opsn=opsn.name
                )
            )

        ctx.notify(invitation.created_by, f"invitation-used:{invitation.id}", render)
    ctx.say(
        _(
            "Vous êtes maintenant référent de {opsn}. Je vous transmettrai ici les demandes de "
            "rattachement des collectivités ; /collectivites montre celles que vous accompagnez."
        ).format(opsn=opsn.name)
        + "\n\n"
        + short_notice(ctx.tr, ctx.config.retention_months)
    )
    show_followed(ctx, opsn)


def flow_is_transient(ctx: Ctx) -> bool:
    """Onboarding or a typed-entry flow is abandoned when a link is opened; the questionnaire stays."""
    return ctx.state.get("flow") not in (None, Flow.IDLE.value, Flow.QUESTIONNAIRE.value)
