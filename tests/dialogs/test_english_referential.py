"""Issue 12: English speakers read level 1 in English (the data overlay); level 2 says it is French."""

from __future__ import annotations

from ecoclic.service import ChatService
from referential.models import Referential
from tests.helpers.chat import ChatDriver


async def test_an_english_speaker_gets_the_questions_in_english(
    service: ChatService, referential: Referential
) -> None:
    english_chat = ChatDriver.for_user(service)
    await english_chat.register()
    await english_chat.say("/langue")
    await english_chat.press("English")
    await english_chat.say("/questionnaire")
    await english_chat.press("Resume")
    first = referential.level_questions(1)[0]
    english = referential.translated("en").question(first.id)
    assert english.text != first.text
    assert english.text in english_chat.text()
    assert first.text not in english_chat.text()
