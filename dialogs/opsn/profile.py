"""What both sides of an attachment share: the collectivité's profile a referent decides on, the
decision buttons, and finding the attachment a button names.

Used when a request arrives (`dialogs.opsn.attachment`), in a referent's lists (`dialogs.opsn.follow`)
and when an attachment ends (`dialogs.opsn.ending`), so it lives apart from all three.
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.i18n import Translator
from dialogs.opsn.buttons import AttachmentAccept, AttachmentRefuse
from dialogs.records import AttachmentInfo, CollectiviteStatus
from dialogs.replies import Keyboard


def progress_percent(ctx: Ctx, status: CollectiviteStatus) -> int:
    """How much of the level-1 questionnaire is answered, 0..100."""
    total = len(ctx.ref.level_questions(1)) or 1
    return round(100 * min(status.answered, total) / total)


def profile(ctx: Ctx, tr: Translator, status: CollectiviteStatus) -> str:
    """What a referent needs to decide: name, type, département, population, index, progress."""
    c = status.collectivite
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
            ).format(
                index=status.index,
                grade=status.grade,
                percent=tr.percent(progress_percent(ctx, status)),
            )
        )
    else:
        lines.append(tr.gettext("Questionnaire pas encore commencé"))
    return "\n".join(lines)


def decision_buttons(tr: Translator, attachment_id: int) -> Keyboard:
    return (
        (
            ui.button(tr.gettext("Accepter"), AttachmentAccept(attachment_id)),
            ui.button(tr.gettext("Refuser"), AttachmentRefuse(attachment_id)),
        ),
    )


def load_attachment(ctx: Ctx, attachment_id: int) -> AttachmentInfo | None:
    """The attachment a button names; None, with a refusal, when it no longer exists."""
    attachment = ctx.store.opsn.attachment(attachment_id)
    if attachment is None:
        access.refuse(ctx, ctx._("Ce bouton n’est plus valable."))
    return attachment
