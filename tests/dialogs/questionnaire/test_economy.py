"""Message economy (issue 17): an answer costs at most one edit and one new message, the whole
level-1 questionnaire fits in 40 bot messages, and help screens never leave a stale keyboard."""

from __future__ import annotations

from referential.models import AnswerType, Referential
from tests.helpers.chat import ChatDriver

SIRET = "21310555400017"
BUDGET = 40  # bot messages for the whole level-1 questionnaire, first question to results


def _worst(referential: Referential, qid: str) -> str:
    q = referential.question(qid)
    if q.answer_type is AnswerType.CHOICE:
        return min(q.options, key=lambda o: o.credit).id
    return "non"


async def test_whole_questionnaire_within_budget(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    questions = referential.level_questions(1)
    new_messages = 1  # the first question, sent with the registration's confirmation
    for i, q in enumerate(questions):
        if i % 4 == 3 and q.answer_type is AnswerType.YES_NO:
            outcome = await chat.say("non")  # typed: no message to edit
        else:
            outcome = await chat.tap(f"a:{q.id}:{_worst(referential, q.id)}")
        edits = [r for r in outcome.replies if r.edit]
        fresh = [r for r in outcome.replies if not r.edit]
        assert len(edits) <= 1 and len(fresh) == 1, (q.id, [r.text for r in outcome.replies])
        new_messages += len(fresh)
        if edits and q.recommendation is not None:  # « Non » opens the recommendation
            assert "À retenir" in edits[0].text and q.recommendation.title in edits[0].text
            assert "<b>" in edits[0].html and not edits[0].buttons
    assert "Questionnaire terminé" in chat.text()
    assert new_messages <= BUDGET
    # Every finished theme's sub-score went into the message of the next question (or results).
    texts = "\n".join(r.text for r in chat.transcript)
    for theme in referential.level_themes(1):
        assert f"Thème « {theme.title} » terminé" in texts


async def test_why_and_definitions_edit_in_place_with_a_way_back(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    first = referential.level_questions(1)[0]
    outcome = await chat.tap(f"w:{first.id}")
    (reply,) = outcome.replies
    assert reply.edit and first.help in reply.text
    data = [b.data for row in reply.buttons for b in row]
    assert f"q:show:{first.id}" in data and f"a:{first.id}:oui" in data
    outcome = await chat.tap(f"q:show:{first.id}")
    (reply,) = outcome.replies
    assert (
        reply.edit
        and first.text in reply.text
        and f"w:{first.id}" in [b.data for row in reply.buttons for b in row]
    )
    # Typed words do what a person means.
    await chat.say("Pourquoi ?")
    assert first.help in chat.text()
    await chat.say("bonjour")
    assert "Bonjour" in chat.text() and first.text in chat.text()
    await chat.say("définitions")
    assert "Définitions" in chat.text()
    await chat.tap(f"a:{first.id}:oui")
    await chat.say("retour")
    assert first.text in chat.text() and "Réponse actuelle : Oui" in chat.text()


async def test_back_edits_the_question_in_place(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    q1, q2 = referential.level_questions(1)[:2]
    await chat.tap(f"a:{q1.id}:oui")
    outcome = await chat.tap(f"b:{q2.id}")
    (reply,) = outcome.replies
    assert reply.edit and q1.text in reply.text


async def test_answer_toast_and_bold_labels(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    first = referential.level_questions(1)[0]
    outcome = await chat.tap(f"a:{first.id}:oui")
    assert outcome.toast == "Réponse enregistrée"
    assert outcome.replies[-1].html.count("<b>") >= 1  # the next question is bold
    await chat.say("/score")
    assert chat.last is not None and "<b>Indice de maturité" in chat.last.replies[0].html


async def test_progress_header_does_not_move_when_re_answering(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    q1, q2 = referential.level_questions(1)[:2]
    await chat.tap(f"a:{q1.id}:oui")
    await chat.tap(f"b:{q2.id}")  # back to q1, answered: its header counts it
    shown = chat.transcript[-1].text.split("\n", 1)[0]
    outcome = await chat.tap(f"a:{q1.id}:non")
    assert outcome.replies[0].edit and outcome.replies[0].text.split("\n", 1)[0] == shown
