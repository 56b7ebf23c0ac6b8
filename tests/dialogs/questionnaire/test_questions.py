"""The level-1 questionnaire through the real engine and service, on the fake store."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.ports import Transaction
from dialogs.records import Role
from referential.models import AnswerType, Question, Referential
from referential.scoring import score
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase

SIRET = "21310555400017"


def answer_for(q: Question, value: str) -> str:
    """Button data answering `q` with yes/no value, or the best/worst option for a choice question."""
    if q.answer_type is AnswerType.CHOICE:
        options = sorted(q.options, key=lambda o: o.credit)
        option = options[-1] if value == "oui" else options[0]
        return f"a:{q.id}:{option.id}"
    return f"a:{q.id}:{value}"


async def test_whole_questionnaire_with_buttons_and_typed_answers(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    questions = referential.level_questions(1)
    assert questions[0].text in chat.text()
    given: dict[str, str] = {}
    for i, q in enumerate(questions):
        assert q.text in "\n".join(r.text for r in chat.transcript[-6:]), q.id
        value = "oui" if i % 3 == 0 else "non"
        if q.answer_type is AnswerType.YES_NO and i % 2:
            await chat.say({"oui": "Oui", "non": "NON"}[value])
            given[q.id] = value
        else:
            data = answer_for(q, value)
            await chat.tap(data)
            given[q.id] = data.rsplit(":", 1)[1]
            assert chat.last is not None and chat.last.replies[0].edit
    final = chat.text()
    s = score(referential, given)
    assert "Questionnaire terminé" in final
    assert f"{s.index}/100" in final and f"lettre {s.grade}" in final
    await chat.say("/score")
    assert f"Indice de maturité : {s.index}/100 · lettre {s.grade}" in chat.text()


async def test_answer_buttons_carry_the_question(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    first = referential.level_questions(1)[0]
    data = [b.data for b in chat.buttons()]
    assert f"w:{first.id}" in data and f"s:{first.id}" in data
    assert f"b:{first.id}" not in data  # nothing before the first question
    if first.answer_type is AnswerType.YES_NO:
        assert data[:3] == [f"a:{first.id}:oui", f"a:{first.id}:non", f"a:{first.id}:nsp"]
    else:
        assert data[: len(first.options)] == [f"a:{first.id}:{o.id}" for o in first.options]


async def test_progress_header_and_explanation_after_no(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    first = referential.level_questions(1)[0]
    title = referential.theme(first.theme).title
    assert f"{title} · question 1/" in chat.text()
    await chat.tap(f"a:{first.id}:non")
    text = chat.text()
    assert first.recommendation is not None
    assert first.recommendation.title in text and "Votre réponse : Non" in text
    assert "question 2/" in text


async def test_typed_answer_variants(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    yes_no = [q for q in referential.level_questions(1) if q.answer_type is AnswerType.YES_NO]
    for typed in ("o", "Yes", "N", "jsp", "?", "je ne sais pas", "oui!"):
        await chat.say(typed)
        assert "Réponse enregistrée" in chat.text(), typed
    await chat.say("peut-être")
    assert "Je n’ai pas compris cette réponse" in chat.text()
    assert yes_no


async def test_unknown_answer_value_asks_again(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    first = referential.level_questions(1)[0]
    await chat.tap(f"a:{first.id}:peutetre")
    assert "Réponse inconnue" in chat.text() and first.text in chat.text()


async def test_change_earlier_answer_and_stale_button(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    q1, q2, q3 = referential.level_questions(1)[:3]
    await chat.tap(answer_for(q1, "oui"))
    await chat.tap(answer_for(q2, "oui"))
    # Old message of q1: answers q1 (changed), then brings the user back to q3.
    await chat.tap(answer_for(q1, "non"))
    assert q1.recommendation is not None and q1.recommendation.title in chat.text()
    assert q3.text in chat.text()
    # Double tap on the same old button: nothing changes.
    await chat.tap(answer_for(q1, "non"))
    assert "déjà enregistrée" in chat.text()
    # Unknown question id (a removed question) and garbage data.
    await chat.tap("a:ZZZ-99:oui")
    assert "ne fait plus partie" in chat.text()
    await chat.tap("zz:garbage")
    assert "plus valable" in chat.text()


async def test_skip_and_back(
    chat: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await chat.register(SIRET)
    q1, q2 = referential.level_questions(1)[:2]
    await chat.tap(f"s:{q1.id}")
    assert q2.text in chat.text() and "(question passée)" in chat.text()
    await chat.tap(f"s:{q1.id}")  # skipping a question one is no longer on
    assert "plus valable" in chat.text() and q2.text in chat.text()
    await chat.tap(f"b:{q2.id}")
    assert q1.text in chat.text()
    await chat.tap(f"b:{q1.id}")
    assert "première question" in chat.text()
    await chat.tap(f"w:{q1.id}")
    assert q1.help in chat.text()
    assert fake_db.count("answer_history") == 0


async def test_definitions(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    with_terms = next(q for q in referential.level_questions(1) if q.definitions)
    without = next(q for q in referential.level_questions(1) if not q.definitions)
    await chat.tap(f"d:{with_terms.id}")
    assert referential.term(with_terms.definitions[0]).term in chat.text()
    await chat.tap(f"d:{without.id}")
    assert "pas de mot technique" in chat.text()


async def test_theme_menu_and_theme_buttons(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    await chat.say("/questionnaire")
    assert "choisissez un thème" in chat.text()
    theme = referential.level_themes(1)[1]
    await chat.tap(f"t:{theme.id}")
    assert referential.questions_of(theme.id)[0].text in chat.text()
    await chat.tap("t:ZZZ")
    assert "Ce thème n’existe plus" in chat.text() and "choisissez un thème" in chat.text()
    await chat.tap("q:menu")
    assert "choisissez un thème" in chat.text()
    await chat.press("Reprendre")
    assert "question" in chat.text()


async def test_colleague_continues_same_questionnaire(
    service: object, referential: Referential, fake_db: FakeDatabase
) -> None:
    admin = ChatDriver.for_user(service, "admin", "Alice")  # type: ignore[arg-type]
    await admin.register(SIRET)
    q1 = referential.level_questions(1)[0]
    await admin.tap(answer_for(q1, "oui"))
    colleague = ChatDriver.for_user(service, "colleague", "Chloé")  # type: ignore[arg-type]
    await colleague.say("/start")
    # Add the colleague directly as a member (the invitation flow lives in the team feature).
    collectivite_id = fake_db.rows("collectivites")[0]["id"]
    user_id = fake_db.user_id("colleague")

    def add(tx: Transaction) -> bool:
        now = datetime(2026, 12, 7, tzinfo=UTC)
        return tx.store.people.add_member(collectivite_id, user_id, Role.MEMBER, now)

    assert fake_db.run(add)
    await colleague.say("/questionnaire")
    await colleague.press("Reprendre")
    q2 = referential.level_questions(1)[1]
    assert q2.text in colleague.text()


async def test_question_buttons_before_registration(chat: ChatDriver) -> None:
    """Regression (found by the property test): a question button from nowhere, before registering."""
    for data in (
        "w::oui",
        "a:GOV-01:oui",
        "s:GOV-01",
        "b:GOV-01",
        "t:GOV",
        "q:go",
        "d:ZZZ",
        "r:score",
    ):
        await chat.tap(data)
        assert "Désolé" not in chat.text(), data
        assert chat.last is not None and (chat.last.replies or chat.last.toast), data


async def test_typed_answer_after_leaving_the_team(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.register(SIRET)
    fake_db.tables.delete("memberships", fake_db.tables.rows("memberships"))
    await chat.say("oui")
    assert "inscrivez votre collectivité" in chat.text()
    assert [b.data for b in chat.buttons()] == ["ob:go"]
