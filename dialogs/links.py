"""/lien: a personal, signed link (valid 24 hours) to the web summary page.

A team member gets the page of their collectivité; an OPSN referent gets the dashboard of each OPSN
they serve; someone who is both gets both. The engine only asks `config.link_signer` for a URL: the
key and the signature live in web_summary.links.
"""

from __future__ import annotations

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.replies import Button
from dialogs.router import Router

router = Router()


def _button(label: str, url: str) -> tuple[Button, ...]:
    # Telegram refuses URL buttons to local addresses: plain http links stay in the text only.
    return (Button(label, url=url),) if url.startswith("https://") else ()


@router.command("lien", "link", "page")
async def link_command(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    sign = ctx.config.link_signer
    if sign is None:
        ctx.say(_("La page web de synthèse n’est pas disponible sur cette installation."))
        return
    member = await ctx.member()
    opsns = await ctx.store.opsn.referent_opsn(ctx.user.id)
    if member is None and not opsns:
        ctx.say(
            _("Il faut d’abord inscrire votre collectivité (ou rejoindre son équipe)."),
            ((Button(_("Inscrire ma collectivité"), "ob:go"),),),
        )
        return
    parts: list[str] = []
    rows: list[tuple[Button, ...]] = []
    if member is not None:
        name = member.collectivite.name
        url = sign("c", member.collectivite.id, member.role, ctx.user.id)
        parts.append(_("Page de synthèse de {name} :").format(name=name) + "\n" + url)
        rows.append(_button(_("Ouvrir la page de {name}").format(name=name)[:60], url))
    for opsn in opsns:
        url = sign("o", opsn.id, "referent", ctx.user.id)
        parts.append(_("Tableau de bord de {name} :").format(name=opsn.name) + "\n" + url)
        rows.append(_button(_("Tableau de bord de {name}").format(name=opsn.name)[:60], url))
    parts.append(
        _(
            "Ce lien est personnel et valable 24 heures : ne le transférez pas, il ouvre la page "
            "sans mot de passe. Tapez /lien pour en recevoir un nouveau."
        )
    )
    ctx.say("\n\n".join(parts), tuple(row for row in rows if row))
