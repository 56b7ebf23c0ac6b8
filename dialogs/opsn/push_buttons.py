"""Buttons of pushed recommendations: "pu" (a referent proposing) and "pp" (a team answering).

Owned by the opsn package like its other families (`dialogs.opsn.buttons`). A referent's buttons
carry the OPSN they act for (checked again at every press); what is being written lives in the
conversation state, so a button of an abandoned or finished proposal gets the stale reply.
"""

from __future__ import annotations

from dialogs.callbacks import CallbackData

# A referent proposing


class PushStart(CallbackData, prefix="pu:go"):
    """« Proposer une action »: pick the collectivité (one page of the followed list) or all."""

    opsn_id: int
    page: int = 0


class PushTo(CallbackData, prefix="pu:to"):
    """One followed collectivité as the target."""

    opsn_id: int
    collectivite_id: int


class PushToAll(CallbackData, prefix="pu:all"):
    """Every collectivité the OPSN follows as targets (one proposal each, one batch)."""

    opsn_id: int


class PushCatalogue(CallbackData, prefix="pu:cat"):
    """The referential's themes, to pick a recommendation from."""

    opsn_id: int


class PushTheme(CallbackData, prefix="pu:th"):
    """The recommendations of one theme (`theme`: its position in the referential), paged."""

    opsn_id: int
    theme: int
    page: int = 0


class PushQuestion(CallbackData, prefix="pu:q"):
    """A referential question's recommendation as the proposal."""

    opsn_id: int
    question_id: str


class PushWrite(CallbackData, prefix="pu:w"):
    """Write the proposal freely: title, why, how, priority."""

    opsn_id: int


class PushPriority(CallbackData, prefix="pu:pr"):
    """The priority of a proposal written freely (the referential's weights: 3, 2 or 1)."""

    opsn_id: int
    priority: int


class PushNoDue(CallbackData, prefix="pu:nd"):
    """No due date proposed."""

    opsn_id: int


class PushSend(CallbackData, prefix="pu:send"):
    """Confirmed: store the proposals and notify the teams."""

    opsn_id: int


class PushCancel(CallbackData, prefix="pu:no"):
    opsn_id: int


class PushList(CallbackData, prefix="pu:l"):
    """The OPSN's proposals and their outcomes, newest first, paged."""

    opsn_id: int
    page: int = 0


# A collectivité's administrator answering


class ProposalAccept(CallbackData, prefix="pp:ok"):
    """« Ajouter au plan »."""

    proposal_id: int


class ProposalDecline(CallbackData, prefix="pp:no"):
    """« Pas pour nous »: asks for a short reason."""

    proposal_id: int


class ProposalNoReason(CallbackData, prefix="pp:nr"):
    """« Sans motif »: decline without a reason."""

    proposal_id: int


__all__ = [
    "ProposalAccept",
    "ProposalDecline",
    "ProposalNoReason",
    "PushCancel",
    "PushCatalogue",
    "PushList",
    "PushNoDue",
    "PushPriority",
    "PushQuestion",
    "PushSend",
    "PushStart",
    "PushTheme",
    "PushTo",
    "PushToAll",
    "PushWrite",
]
