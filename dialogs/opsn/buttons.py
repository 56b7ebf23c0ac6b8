"""The OPSN button families: "at" (attachments and followed collectivités) and "pa" (/admin).

One class per action; the packed strings are those already sent to phones, so older buttons keep
working. Fields are typed ids: forged data (ids past 2³¹−1, "²"…) never reaches a handler.
"""

from __future__ import annotations

from dialogs.callbacks import CallbackData

# Request side (administrators of a collectivité)


class AttachmentAllOpsn(CallbackData, prefix="at:all"):
    """List every OPSN, not only those serving the collectivité's département."""


class AttachmentLocalOpsn(CallbackData, prefix="at:loc"):
    """Back from every OPSN to those serving the collectivité's département (edits in place)."""


class AttachmentAsk(CallbackData, prefix="at:rq"):
    """Asks to confirm a request to this OPSN."""

    opsn_id: int


class AttachmentSend(CallbackData, prefix="at:send"):
    opsn_id: int


class AttachmentWithdraw(CallbackData, prefix="at:wd"):
    """Withdraws a pending request."""

    attachment_id: int


class AttachmentCancel(CallbackData, prefix="at:no"):
    """The "Annuler"/"Non" of an attachment confirm step."""


# Decision side (referents of the OPSN asked)


class AttachmentAccept(CallbackData, prefix="at:a"):
    attachment_id: int


class AttachmentRefuse(CallbackData, prefix="at:r"):
    attachment_id: int


# Either side: ending an accepted attachment


class AttachmentEnd(CallbackData, prefix="at:end"):
    """Asks to confirm ending an accepted attachment."""

    attachment_id: int


class AttachmentEndConfirmed(CallbackData, prefix="at:endok"):
    attachment_id: int


# Referents: the followed collectivités (page numbers are always written, as they always were)


class FollowedPage(CallbackData, prefix="at:l"):
    opsn_id: int
    page: int


class FollowedEndPick(CallbackData, prefix="at:ends"):
    """Lists the collectivités of one page, to pick the attachment to end."""

    opsn_id: int
    page: int


# Referents: supervising one followed collectivité ("sv": read-only screens)


class SupervisePick(CallbackData, prefix="sv:p"):
    """Lists the collectivités of one page of /collectivites, to open one."""

    opsn_id: int
    page: int


class SuperviseOpen(CallbackData, prefix="sv:o"):
    """A followed collectivité's overview: profile, scores, plan status, overdue actions."""

    opsn_id: int
    collectivite_id: int


class SuperviseThemes(CallbackData, prefix="sv:t"):
    """The themes of one questionnaire level, to read the answers of one."""

    opsn_id: int
    collectivite_id: int
    level: int


class SuperviseAnswers(CallbackData, prefix="sv:a"):
    """One page of the answers to one theme (`theme`: its position in the referential)."""

    opsn_id: int
    collectivite_id: int
    theme: int
    page: int


# Platform administration


class PlatformList(CallbackData, prefix="pa:list"):
    pass


class PlatformAdd(CallbackData, prefix="pa:add"):
    pass


class PlatformReferent(CallbackData, prefix="pa:ref"):
    """Without an OPSN: pick one; with one: create a referent invitation link for it."""

    opsn_id: int | None = None


__all__ = [
    "AttachmentAccept",
    "AttachmentAllOpsn",
    "AttachmentAsk",
    "AttachmentCancel",
    "AttachmentEnd",
    "AttachmentEndConfirmed",
    "AttachmentRefuse",
    "AttachmentSend",
    "AttachmentWithdraw",
    "FollowedEndPick",
    "FollowedPage",
    "PlatformAdd",
    "PlatformList",
    "PlatformReferent",
    "SuperviseAnswers",
    "SuperviseOpen",
    "SupervisePick",
    "SuperviseThemes",
]
