"""The team's button families: "tm" (/equipe: members, functions, leaving) and "jr" (join requests).

One class per action; the packed strings are those already sent to phones, so older buttons keep
working. Fields are typed ids or codes: malformed or forged data never reaches a handler.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs.callbacks import CallbackData


class FunctionCode(StrEnum):
    """The preset functions offered as buttons, and "autre" to type one."""

    ELU = "elu"
    SECRETAIRE = "sec"
    AGENT = "agent"
    DSI = "dsi"
    OTHER = "autre"


class TeamInvite(CallbackData, prefix="tm:inv"):
    """An administrator asks for a single-use invitation link."""


class TeamRevokeInvitation(CallbackData, prefix="tm:ir"):
    """An administrator revokes a pending invitation of their collectivité."""

    invitation_id: int


class TeamRemove(CallbackData, prefix="tm:rm"):
    """Without a person: pick whom to remove; with one: confirm removing them."""

    user_id: int | None = None


class TeamRemoveConfirmed(CallbackData, prefix="tm:rmok"):
    user_id: int


class TeamPromote(CallbackData, prefix="tm:adm"):
    """Without a person: pick who becomes administrator; with one: make them so."""

    user_id: int | None = None


class TeamLeave(CallbackData, prefix="tm:leave"):
    """Asks to confirm leaving the team."""


class TeamLeaveConfirmed(CallbackData, prefix="tm:leaveok"):
    pass


class TeamCancel(CallbackData, prefix="tm:no"):
    """The "Non" of a team confirm step."""


class FunctionAsk(CallbackData, prefix="tm:f"):
    """Shows the preset functions."""


class FunctionPick(CallbackData, prefix="tm:fs"):
    code: FunctionCode


class JoinAccept(CallbackData, prefix="jr:a"):
    """An administrator lets the author of a join request into the team."""

    request_id: int


class JoinRefuse(CallbackData, prefix="jr:r"):
    request_id: int


__all__ = [
    "FunctionAsk",
    "FunctionCode",
    "FunctionPick",
    "JoinAccept",
    "JoinRefuse",
    "TeamCancel",
    "TeamInvite",
    "TeamLeave",
    "TeamLeaveConfirmed",
    "TeamPromote",
    "TeamRemove",
    "TeamRemoveConfirmed",
    "TeamRevokeInvitation",
]
