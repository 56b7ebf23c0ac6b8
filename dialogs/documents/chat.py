"""/documents: the roadmap (PDF) and the plan (ODS, CSV) of the speaker's collectivité, as files.

The button carries only the format: the collectivité is always the speaker's own, read from the
membership, so no button can fetch another collectivité's documents.
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.documents.buttons import DocumentsMenu, SendDocument
from dialogs.documents.data import gather
from dialogs.documents.files import DocumentFormat, make
from dialogs.events import Event
from dialogs.i18n import N_
from dialogs.plan.schedule import today
from dialogs.replies import Keyboard, Reply
from dialogs.router import Router

router = Router()


def menu_rows(ctx: Ctx) -> Keyboard:
    _ = ctx._
    return (
        (ui.button(_("Feuille de route PDF"), SendDocument(fmt=DocumentFormat.PDF)),),
        (
            ui.button(_("Plan tableur (ODS)"), SendDocument(fmt=DocumentFormat.ODS)),
            ui.button(_("Plan (CSV)"), SendDocument(fmt=DocumentFormat.CSV)),
        ),
    )


@router.command("documents")
def documents_command(ctx: Ctx, event: Event) -> None:
    show_menu(ctx, edit=False)


@router.button(DocumentsMenu)
def documents_button(ctx: Ctx, event: Event, data: DocumentsMenu) -> None:
    show_menu(ctx, edit=True)


def show_menu(ctx: Ctx, *, edit: bool) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    _ = ctx._
    ctx.say(
        _(
            "Documents de {name}, à jour de vos réponses et de votre plan :\n"
            "• la feuille de route numérique responsable (PDF, A4), à présenter en conseil ;\n"
            "• le plan d’actions en tableur, pour LibreOffice ou Excel (ODS), ou en CSV."
        ).format(name=member.collectivite.name),
        menu_rows(ctx),
        edit=edit,
    )


CAPTIONS = {
    DocumentFormat.PDF: N_("Feuille de route numérique responsable de {name}, établie le {date}."),
    DocumentFormat.ODS: N_("Plan d’actions de {name} (tableur ODS), établi le {date}."),
    DocumentFormat.CSV: N_("Plan d’actions de {name} (CSV, séparateur « ; »), établi le {date}."),
}


@router.button(SendDocument)
def send_document(ctx: Ctx, event: Event, data: SendDocument) -> None:
    member = access.require_member(ctx)
    if member is None:
        return
    day = today(ctx.now, ctx.config.timezone)
    file = make(gather(ctx.ref, ctx.store, member.collectivite, day), data.fmt)
    caption = ctx._(CAPTIONS[data.fmt]).format(name=member.collectivite.name, date=ctx.tr.date(day))
    more = ((ui.button(ctx._("Autres documents"), DocumentsMenu()),),)  # never a dead end
    ctx.out.replies.append(Reply(caption, more, attachment=file))
    ctx.toast(ctx._("Document envoyé."))
