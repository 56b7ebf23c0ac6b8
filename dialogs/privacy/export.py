"""/mesdonnees (/mydata): everything kept about the speaker as a JSON file; administrators may also
receive their collectivité's whole file. The store assembles the rows; this module wraps them in
a dated document and hands it to the channel as an attachment (Telegram sendDocument)."""

from __future__ import annotations

import json
from datetime import datetime

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.privacy.buttons import ExportButton, ExportScope
from dialogs.replies import Attachment, Reply
from dialogs.router import Router
from dialogs.ui import button

router = Router()

FORMAT = "ecoclic-export/1"
MEDIA_TYPE = "application/json"


def document(scope: ExportScope, now: datetime, data: dict[str, object]) -> bytes:
    """The file: what it is, when it was made, then the stored rows section by section (the same
    for `ecoclic admin gdpr export`)."""
    wrapped = {"format": FORMAT, "scope": scope.value, "exported_at": now.isoformat(), **data}
    return json.dumps(wrapped, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


@router.command("mesdonnees", "mydata", "donnees")
def my_data(ctx: Ctx, event: Event) -> None:
    member = ctx.member()
    if member is not None and member.is_admin:
        _ = ctx._
        ctx.say(
            _("Quelles données voulez-vous recevoir ?"),
            (
                (button(_("Mes données personnelles"), ExportButton(ExportScope.ME)),),
                (
                    button(
                        _("Tout le dossier de {name}").format(name=member.collectivite.name)[:60],
                        ExportButton(ExportScope.COLLECTIVITE),
                    ),
                ),
            ),
        )
        return
    send_export(ctx, ExportScope.ME)


@router.button(ExportButton)
def export_pressed(ctx: Ctx, event: Event, data: ExportButton) -> None:
    send_export(ctx, data.scope)


def send_export(ctx: Ctx, scope: ExportScope) -> None:
    _ = ctx._
    day = ctx.now.date().isoformat()
    if scope is ExportScope.COLLECTIVITE:
        member = access.require_admin(ctx)
        if member is None:
            return
        data = ctx.store.privacy.export_collectivite(member.collectivite.id)
        content = document(scope, ctx.now, data)
        filename = f"ecoclic-{member.collectivite.siret}-{day}.json"
        caption = _(
            "Voici tout le dossier de {name} tel que je le garde : l’équipe, les réponses et leur "
            "historique, le plan d’actions, les invitations, les demandes et le rattachement."
        ).format(name=member.collectivite.name)
    else:
        content = document(scope, ctx.now, ctx.store.privacy.export_person(ctx.user.id))
        filename = f"ecoclic-mes-donnees-{day}.json"
        caption = _(
            "Voici tout ce que je garde sur vous, dans un fichier JSON : votre compte, votre place "
            "dans l’équipe, les réponses que vous avez données, les actions qui vous sont confiées "
            "et leur historique, vos réglages et les messages en attente pour vous. /supprimer pour "
            "effacer vos données."
        )
    ctx.out.replies.append(Reply(caption, attachment=Attachment(filename, MEDIA_TYPE, content)))
