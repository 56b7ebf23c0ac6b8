"""The questionnaire's button families (prefixes a, w, d, s, b, q, t, r, ob), with today's wire strings.

Answer and help buttons carry the question id ("a:GOV-02:non"), so a button from an old message always
acts on the question it was shown with, never on the current one by mistake. Other packages may
import this module to offer a questionnaire button (it imports only core modules).
"""

from __future__ import annotations

from dialogs.callbacks import CallbackData
from dialogs.parsing import CollectiviteKind
from dialogs.state import OnboardingStep


class AnswerButton(CallbackData, prefix="a"):
    """ "a:<question id>:<oui|non|nsp or option id>" """

    question_id: str
    value: str


class WhyButton(CallbackData, prefix="w"):
    """ "w:<question id>": why this question is asked."""

    question_id: str


class DefinitionsButton(CallbackData, prefix="d"):
    """ "d:<question id>": the technical words of the question."""

    question_id: str


class SkipButton(CallbackData, prefix="s"):
    """ "s:<question id>": leave the question unanswered for now."""

    question_id: str


class BackButton(CallbackData, prefix="b"):
    """ "b:<question id>": the question before this one."""

    question_id: str


class ShowQuestion(CallbackData, prefix="q:show"):
    """ "q:show:<question id>": « Retour à la question » after « Pourquoi ? » or « Définitions »."""

    question_id: str


QuestionButton = WhyButton | DefinitionsButton | SkipButton | BackButton


class QuestionnaireMenu(CallbackData, prefix="q:menu"):
    """The theme menu (« Modifier une réponse », « ▶ Questionnaire »)."""


class ResumeQuestionnaire(CallbackData, prefix="q:go"):
    """« ▶ Reprendre » : the next unanswered question."""


class ThemeButton(CallbackData, prefix="t"):
    """ "t:<theme id>": the first unanswered question of a theme."""

    theme_id: str


class ScoreButton(CallbackData, prefix="r:score"):
    """« Mon score » / « Voir mon score »."""


class StartOnboarding(CallbackData, prefix="ob:go"):
    """« Inscrire ma collectivité » (and « ✏️ Recommencer »); `another`: a member registers one
    more collectivité (/collectivite)."""

    another: bool = False


class CancelOnboarding(CallbackData, prefix="ob:cancel"):
    pass


class ConfirmOnboarding(CallbackData, prefix="ob:ok"):
    """« ✅ Enregistrer » at the end of the registration."""


class ConfirmSiret(CallbackData, prefix="ob:sok"):
    """« Oui, c’est le bon » : keep a SIRET that is not a public body's."""


class DepartementPick(CallbackData, prefix="ob:dep"):
    """ "ob:dep:<code>": the département proposed from a commune's SIREN, or the one typed."""

    code: str


class EditField(CallbackData, prefix="ob:e"):
    """ "ob:e:<step>": correct one field from the confirmation step."""

    step: OnboardingStep


class KindButton(CallbackData, prefix="ob:k"):
    """ "ob:k:<kind>": the kind of collectivité being registered."""

    kind: CollectiviteKind


__all__ = [
    "AnswerButton",
    "BackButton",
    "CancelOnboarding",
    "ConfirmOnboarding",
    "ConfirmSiret",
    "DefinitionsButton",
    "DepartementPick",
    "EditField",
    "KindButton",
    "QuestionButton",
    "QuestionnaireMenu",
    "ResumeQuestionnaire",
    "ScoreButton",
    "ShowQuestion",
    "SkipButton",
    "StartOnboarding",
    "ThemeButton",
    "WhyButton",
]
