"""The privacy button family "pv": exports, erasure and collectivité deletion, each confirmed.

One class per action; fields are typed, so malformed or forged data never reaches a handler.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs.callbacks import CallbackData


class ExportScope(StrEnum):
    ME = "me"  # what is kept about the speaker
    COLLECTIVITE = "col"  # the collectivité's whole file (administrators)


class ExportButton(CallbackData, prefix="pv:x"):
    scope: ExportScope


class EraseMe(CallbackData, prefix="pv:e"):
    """Asks to confirm erasing the speaker's data."""


class EraseMeConfirmed(CallbackData, prefix="pv:eok"):
    pass


class DeleteCollectivite(CallbackData, prefix="pv:dc"):
    """An administrator starts deleting the collectivité: they must then type its name."""

    collectivite_id: int


class PrivacyCancel(CallbackData, prefix="pv:no"):
    """The "Non" of a privacy confirm step."""


__all__ = [
    "DeleteCollectivite",
    "EraseMe",
    "EraseMeConfirmed",
    "ExportButton",
    "ExportScope",
    "PrivacyCancel",
]
