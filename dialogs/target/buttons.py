"""The target's button families (prefix "tg"): pick a letter, pick a deadline, remove."""

from __future__ import annotations

from dialogs.callbacks import CallbackData

# A letter is checked against the referential's grades by the handler (stale or forged: refused).
Letter = str


class TargetMenu(CallbackData, prefix="tg:m"):
    """The /cible screen."""


class TargetLetter(CallbackData, prefix="tg:g"):
    """A target chosen (a letter, or an index typed with /cible 70): now, by when?"""

    grade: Letter = ""
    index: int = 0


class TargetSet(CallbackData, prefix="tg:s"):
    grade: Letter = ""
    index: int = 0
    months: int = 12


class TargetClear(CallbackData, prefix="tg:x"):
    pass
