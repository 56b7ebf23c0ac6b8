"""The target's button families (prefix "tg"): pick a letter, pick a deadline, remove."""

from __future__ import annotations

from typing import Annotated

from dialogs.callbacks import CallbackData, Text

Letter = Annotated[str, Text(max_len=2, pattern=r"[A-Z]*")]


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
