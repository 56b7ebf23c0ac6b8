"""A referent supervises one collectivité its OPSN follows: overview, then answers by theme.

Read-only screens opened from /collectivites. Every button checks again that the speaker is a
referent of the OPSN the button names and that this OPSN still follows the collectivité (accepted
attachment): a referent of another OPSN, a member, a stranger or a stale button gets a refusal.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.opsn.buttons import (
    FollowedPage,
    SuperviseAnswers,
    SuperviseOpen,
    SupervisePick,
    SuperviseThemes,
)
from dialogs.opsn.follow import followed_by_referent
from dialogs.opsn.supervision_view import (
    LABEL_PAIRED,
    answer_pages,
    overview,
    short,
)
from dialogs.records import AttachmentStatus, CollectiviteStatus, OpsnInfo
from dialogs.replies import Button
from dialogs.router import Router
from dialogs.ui import button, paginate

router = Router()

PICK_PAGE = 20  # the same page size as /collectivites, so its page numbers carry over


def followed_collectivite(
    ctx: Ctx, opsn_id: int, collectivite_id: int
) -> tuple[OpsnInfo, CollectiviteStatus] | None:
    """The OPSN and the collectivité a button names, while the speaker may see them; else refuse."""
    mine = access.require_referent(ctx, opsn_id)
    if not mine:
        return None
    attachment = ctx.store.opsn.open_attachment(collectivite_id)
    status = ctx.store.opsn.collectivite_status(collectivite_id)
    if (
        attachment is None
        or attachment.opsn_id != opsn_id
        or attachment.status is not AttachmentStatus.ACCEPTED
        or status is None
    ):
        access.refuse(
            ctx,
            ctx._("Cette collectivité n’est pas (ou plus) suivie par {opsn}.").format(
                opsn=mine[0].name
            ),
        )
        return None
    return mine[0], status


@router.button(SupervisePick)
def pick(ctx: Ctx, event: Event, data: SupervisePick) -> None:
    found = followed_by_referent(ctx, data.opsn_id)
    if found is None:
        return
    opsn, followed = found
    page = paginate(followed, data.page, PICK_PAGE)
    ctx.say(
        ctx._("Quelle collectivité voulez-vous consulter ?"),
        tuple(
            (button(short(s.collectivite.name), SuperviseOpen(opsn.id, s.collectivite.id)),)
            for _a, s in page.items
        ),
    )


@router.button(SuperviseOpen)
def open_overview(ctx: Ctx, event: Event, data: SuperviseOpen) -> None:
    found = followed_collectivite(ctx, data.opsn_id, data.collectivite_id)
    if found is None:
        return
    opsn, status = found
    cid = status.collectivite.id
    today = ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()
    text = overview(
        ctx.tr,
        ctx.ref,
        status,
        ctx.store.answers.of(cid),
        ctx.store.plan.items(cid),
        today,
    )
    _ = ctx._
    web: tuple[tuple[Button, ...], ...] = ()
    if ctx.config.link_signer is not None:
        url = ctx.config.link_signer("o", opsn.id, "referent", ctx.user.id) + f"c/{cid}/fiche"
        text += "\n\n" + _("Fiche de suivi sur le web (lien personnel, valable 24 heures) :")
        text += "\n" + url
        if url.startswith("https://"):  # Telegram refuses URL buttons to local addresses
            web = ((Button(_("Ouvrir la fiche web"), url=url),),)
    level_row = (
        button(short(_("Réponses niveau 1"), LABEL_PAIRED), SuperviseThemes(opsn.id, cid, 1)),
        button(short(_("Réponses niveau 2"), LABEL_PAIRED), SuperviseThemes(opsn.id, cid, 2)),
    )
    back_row = (button(short(_("Liste des collectivités")), FollowedPage(opsn.id, 0)),)
    ctx.say(text, (*web, level_row, back_row))


@router.button(SuperviseThemes)
def themes(ctx: Ctx, event: Event, data: SuperviseThemes) -> None:
    found = followed_collectivite(ctx, data.opsn_id, data.collectivite_id)
    if found is None:
        return
    opsn, status = found
    cid = status.collectivite.id
    _ = ctx._
    level_themes = ctx.ref.level_themes(data.level, include_locked=True)
    if not level_themes:
        access.refuse(ctx, _("Ce bouton n’est plus valable."))
        return
    position = {t.id: i for i, t in enumerate(ctx.ref.themes)}
    rows: list[tuple[Button, ...]] = [  # numbered: long titles cut short stay distinct
        (button(short(f"{n}. {t.title}"), SuperviseAnswers(opsn.id, cid, position[t.id], 0)),)
        for n, t in enumerate(level_themes, 1)
    ]
    rows.append((button(short(_("Retour à la fiche")), SuperviseOpen(opsn.id, cid)),))
    ctx.say(
        _("{name} : réponses du niveau {level}. Quel thème ?").format(
            name=status.collectivite.name, level=data.level
        )
        + "\n"
        + "\n".join(f"{n}. {t.title}" for n, t in enumerate(level_themes, 1)),
        tuple(rows),
    )


@router.button(SuperviseAnswers)
def answers(ctx: Ctx, event: Event, data: SuperviseAnswers) -> None:
    found = followed_collectivite(ctx, data.opsn_id, data.collectivite_id)
    if found is None:
        return
    opsn, status = found
    _ = ctx._
    if not 0 <= data.theme < len(ctx.ref.themes):
        access.refuse(ctx, _("Ce bouton n’est plus valable."))
        return
    theme = ctx.ref.themes[data.theme]
    cid = status.collectivite.id
    pages = answer_pages(ctx.tr, ctx.ref, theme, ctx.store.answers.of(cid))
    page = paginate(pages, data.page, 1)
    heading = f"{status.collectivite.name} — {theme.title}"
    if page.count > 1:
        heading += " " + _("(page {page}/{pages})").format(page=page.number + 1, pages=page.count)
    nav: list[Button] = []
    if page.has_previous:
        nav.append(
            button(_("◀ Précédentes"), SuperviseAnswers(opsn.id, cid, data.theme, page.number - 1))
        )
    if page.has_next:
        nav.append(
            button(_("Suivantes ▶"), SuperviseAnswers(opsn.id, cid, data.theme, page.number + 1))
        )
    rows: list[tuple[Button, ...]] = [tuple(nav)] if nav else []
    rows.append(
        (
            button(short(_("Thèmes"), LABEL_PAIRED), SuperviseThemes(opsn.id, cid, theme.level)),
            button(short(_("Fiche"), LABEL_PAIRED), SuperviseOpen(opsn.id, cid)),
        )
    )
    ctx.say(heading + "\n\n" + page.items[0], tuple(rows))
