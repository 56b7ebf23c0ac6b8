"""Issue 17's message budget over real HTTP: the whole level-1 questionnaire in ≤ 40 bot messages.

One adapter is enough here (the conformance suite runs both): the count depends on the engine's
replies and the bridge, not on the library.
"""

from __future__ import annotations

import pytest

from referential.models import AnswerType, Referential
from tests.bot.telegram.conftest import RunningBot

BUDGET = 40


@pytest.fixture
def library() -> str:
    return "aiogram"


async def test_whole_questionnaire_in_at_most_40_messages(
    polling_bot: RunningBot, referential: Referential
) -> None:
    user = polling_bot.user(1701)
    await user.register()
    fake = polling_bot.fake
    sent_before = len(fake.calls("sendMessage"))
    edits_before = len(fake.calls("editMessageText"))
    for _ in range(len(referential.level_questions(1)) + 2):
        found = user.question()
        if found is None:
            break
        _message, qid = found
        q = referential.question(qid)
        sent = len(fake.calls("sendMessage"))
        value = q.options[0].id if q.answer_type is AnswerType.CHOICE else "non"
        await user.answer(value)
        assert len(fake.calls("sendMessage")) - sent == 1, qid  # the next question, in one
    assert "Questionnaire terminé" in user.messages()[-1].text
    sent = len(fake.calls("sendMessage")) - sent_before + 1  # + the first question
    edits = len(fake.calls("editMessageText")) - edits_before
    assert sent <= BUDGET, sent
    assert edits == len(referential.level_questions(1))  # one per answer
    bold = [c for c in fake.calls("sendMessage") if "<b>" in str(c.params.get("text"))]
    assert bold, "questions carry bold labels"
