"""Level 2's button families (prefix family "n2", for « niveau 2 »).

Every button carries the collectivité it answers for and, when it concerns a question, the question
id: a button from an old message, or pressed by an OPSN referent following several collectivités,
always acts on what it was shown with. Multi-choice toggles carry the whole selection as a bit
mask (option order), so the selection lives in the message, not in the conversation state.
"""

from __future__ import annotations

from typing import Annotated

from dialogs.callbacks import CallbackData, Text

# Ids as the referential spells them (referential.fields): « GOV2-01 », « APL-RGPD », « binome ».
# A little longer than the referential allows, so a forged id is refused by the handler, with a
# sentence, rather than by the unpacking.
QuestionId = Annotated[str, Text(max_len=12)]
SectionId = Annotated[str, Text(max_len=16)]
AnswerValue = Annotated[str, Text(max_len=12)]


class Level2Menu(CallbackData, prefix="n2:m"):
    """The sub-theme menu of collectivité `cid`, with its progress."""

    cid: int


class Level2Resume(CallbackData, prefix="n2:go"):
    """« ▶ Reprendre » : the next unanswered shown question."""

    cid: int


class Level2Section(CallbackData, prefix="n2:s"):
    """A sub-theme (or a theme without sub-themes): its questions and their answers."""

    cid: int
    section: SectionId


class Level2Ask(CallbackData, prefix="n2:q"):
    """Open one question (to answer it, or change its answer)."""

    cid: int
    question_id: QuestionId


class Level2Answer(CallbackData, prefix="n2:a"):
    """oui / non / nsp / nc, or a choice option."""

    cid: int
    question_id: QuestionId
    value: AnswerValue


class Level2Toggle(CallbackData, prefix="n2:t"):
    """A multi-choice option pressed: `mask` is the selection after the press."""

    cid: int
    question_id: QuestionId
    mask: int


class Level2Validate(CallbackData, prefix="n2:v"):
    """« Valider » a multi-choice selection."""

    cid: int
    question_id: QuestionId
    mask: int


class Level2Why(CallbackData, prefix="n2:w"):
    """« Pourquoi ? » : the question's explanation."""

    cid: int
    question_id: QuestionId


class Level2Skip(CallbackData, prefix="n2:k"):
    """« Passer » : leave the question unanswered for now."""

    cid: int
    question_id: QuestionId


class Level2Back(CallbackData, prefix="n2:b"):
    """« ◀ Précédente » : the shown question before this one."""

    cid: int
    question_id: QuestionId


class IndicatorsButton(CallbackData, prefix="n2:i"):
    """The indicators of collectivité `cid`."""

    cid: int


__all__ = [
    "IndicatorsButton",
    "Level2Answer",
    "Level2Ask",
    "Level2Back",
    "Level2Menu",
    "Level2Resume",
    "Level2Section",
    "Level2Skip",
    "Level2Toggle",
    "Level2Validate",
    "Level2Why",
]
