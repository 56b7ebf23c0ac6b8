"""The same scripted conversations against both adapters (PTB and aiogram), over real HTTP.

Each test runs once per library (the `library` fixture) with the bot long-polling the fake Bot API.
"""

from __future__ import annotations

from typing import Any

from referential.models import AnswerType, Referential
from referential.scoring import open_recommendations, score
from tests.bot.telegram import db_reads
from tests.bot.telegram.conftest import RunningBot
from tests.helpers.telegram_driver import TelegramUser

YES_NO_CYCLE = ("oui", "oui", "non", "nsp")
TYPED = {"oui": "oui", "non": "Non", "nsp": "je ne sais pas"}


def _html_calls_are_clean(bot: RunningBot) -> None:
    for method in ("sendMessage", "editMessageText"):
        for call in bot.fake.calls(method):
            assert call.params.get("parse_mode") == "HTML", call
            assert call.status in (200, 400, 429), (call.method, call.status, call.error)
            if call.status == 400:  # the only refusal we accept: an edit that changes nothing
                assert "not modified" in (call.error or ""), call.error


async def _answer_everything(
    user: TelegramUser, ref: Referential
) -> tuple[dict[str, str], list[str]]:
    """Answer every question: mostly buttons, every fifth one typed. Returns answers, texts."""
    expected: dict[str, str] = {}
    for step in range(len(ref.level_questions(1)) + 5):
        found = user.question()
        if found is None:
            break
        message, qid = found
        question = ref.question(qid)
        if question.answer_type is AnswerType.CHOICE:
            value = question.options[1].id
            typed = "2"
        else:
            value = YES_NO_CYCLE[step % len(YES_NO_CYCLE)]
            typed = TYPED[value]
        if step % 5 == 4:
            added = await user.say(typed)
            assert "Réponse enregistrée" in user.texts(added)
        else:
            await user.answer(value)
            edited = next(m for m in user.messages() if m.message_id == message.message_id)
            assert edited.edited and not edited.buttons, "the answered question keeps buttons"
            assert "Votre réponse" in edited.text
        expected[qid] = value
    return expected, [m.text for m in user.messages()]


async def test_new_user_registers_and_completes_the_questionnaire(
    polling_bot: RunningBot, sessions: Any, referential: Referential
) -> None:
    user = polling_bot.user(1001, name="Camille")
    await user.register(name="Commune <Saint-Ours> & Co")
    assert "Commune <Saint-Ours> & Co est enregistrée" in user.texts()  # escaped, shown verbatim
    expected, _texts = await _answer_everything(user, referential)

    assert len(expected) == len(referential.level_questions(1))
    assert "Questionnaire terminé" in user.messages()[-1].text
    assert db_reads.answers(sessions) == expected

    engine = score(referential, expected)
    row = db_reads.collectivite(sessions)
    assert (row.current_index, row.current_grade) == (engine.index, engine.grade)
    headline = f"Indice de maturité : {engine.index}/100 · lettre {engine.grade}"
    assert headline in user.messages()[-1].text
    assert headline in user.texts(await user.say("/score"))
    plan = user.texts(await user.say("/plan"))
    for question in open_recommendations(referential, expected)[:3]:
        assert question.recommendation.title in plan

    answered = {c.query_id for c in polling_bot.fake.answered_callbacks}
    assert set(user.callback_ids) <= answered, "a callback query was left unanswered"
    _html_calls_are_clean(polling_bot)


async def test_change_answer_stale_buttons_and_unsupported_input(
    polling_bot: RunningBot, sessions: Any
) -> None:
    user = polling_bot.user(1002)
    await user.register()
    first, first_qid = user.question() or (None, "")
    assert first is not None
    await user.answer("oui")
    await user.answer("oui")

    # The first question's message has no buttons any more, but an old copy can still be tapped.
    again = await user.tap_data(first.message_id, f"a:{first_qid}:oui")
    assert "déjà enregistrée" in user.texts(again)
    changed = await user.tap_data(first.message_id, f"a:{first_qid}:non")
    assert "Réponse actuelle" in user.texts(changed) or "Votre réponse" in user.texts()
    assert db_reads.answers(sessions)[first_qid] == "non"
    assert user.question() is not None and user.question()[1] != first_qid  # type: ignore[index]

    stale = await user.tap_data(first.message_id, "zz:gone")
    assert "Ce bouton n’est plus valable" in user.texts(stale)
    removed = await user.tap_data(first.message_id, "a:OLD-99:oui")
    assert "ne fait plus partie du questionnaire" in user.texts(removed)

    assert "Je n’ai pas compris cette réponse" in user.texts(await user.say("peut-être bien"))
    await user.say("/annuler")
    assert "Je n’ai pas compris" in user.texts(await user.say("<b>bonjour</b> & merci"))
    assert "Je ne lis que le texte" in user.texts(await user.photo())
    assert "Je ne lis que le texte" in user.texts(await user.sticker())
    assert "Je ne connais pas la commande /meteo" in user.texts(await user.say("/meteo"))

    answered = {c.query_id for c in polling_bot.fake.answered_callbacks}
    assert set(user.callback_ids) <= answered
    _html_calls_are_clean(polling_bot)


async def test_duplicate_updates_change_nothing(polling_bot: RunningBot, sessions: Any) -> None:
    user = polling_bot.user(1003)
    await user.register()
    message, qid = user.question() or (None, "")
    assert message is not None
    tap = await polling_bot.fake.press(user.user_id, message.message_id, f"a:{qid}:non")
    await user.handled(tap)
    typed = await polling_bot.fake.send_text(user.user_id, "oui")
    await user.handled(typed)
    history = db_reads.history_count(sessions)
    shown = user.messages()
    events = db_reads.processed_events(sessions)

    assert await user.redeliver(tap) == []
    assert await user.redeliver(typed) == []
    assert user.messages() == shown  # no new message, no edit
    assert db_reads.history_count(sessions) == history
    assert db_reads.processed_events(sessions) == events
    assert db_reads.answers(sessions)[qid] == "non"


async def test_fast_typing_and_double_taps_stay_in_order(
    polling_bot: RunningBot, sessions: Any
) -> None:
    user = polling_bot.user(1004)
    await user.register()
    message, qid = user.question() or (None, "")
    assert message is not None
    fake = polling_bot.fake
    # Double tap: two callback queries for the same button, queued back to back.
    taps = [await fake.press(user.user_id, message.message_id, f"a:{qid}:oui") for _ in range(2)]
    # Fast typing: four answers sent without waiting for the bot.
    typed = [await fake.send_text(user.user_id, text) for text in ("non", "nsp", "oui", "non")]
    for update in taps + typed:
        await polling_bot.processed.wait(update["update_id"])

    answers = db_reads.answers(sessions)
    assert [answers[q] for q in ("GOV-01", "GOV-02", "GOV-03", "GOV-04", "SEN-01")] == [
        "oui",
        "non",
        "nsp",
        "oui",
        "non",
    ]
    assert db_reads.history_count(sessions) == 5  # the second tap changed nothing
    texts = [m.text for m in user.messages()]
    # A typed answer is confirmed at the top of the next question's message (one message each).
    firsts = [t.split("\n", 1)[0] for t in texts]
    recorded = [f.split(" : ", 1)[1] for f in firsts if f.startswith("Réponse enregistrée")]
    assert recorded == ["Non", "Je ne sais pas", "Oui", "Non"]
    headers = [line for t in texts for line in t.split("\n") if " · question " in line]
    positions = [h.split(" · ")[1] for h in headers]
    assert positions[:5] == [f"question {n}/4" for n in (1, 2, 3, 4)] + ["question 1/4"]
    assert {c.query_id for c in fake.answered_callbacks} >= {
        t["callback_query"]["id"] for t in taps[:1]
    }


async def test_429_storm_delays_but_loses_no_reply(polling_bot: RunningBot, sessions: Any) -> None:
    user = polling_bot.user(1005)
    await user.register()
    fake = polling_bot.fake
    before = fake.stats.too_many_requests
    fake.fail_next(3, status=429, retry_after=1, methods=["sendMessage", "editMessageText"])
    fake.fail_next(2, status=502, methods=["sendMessage"])
    await user.answer("non")  # edit + "À retenir" + next question, through the storm
    await user.answer("oui")
    assert fake.stats.too_many_requests - before >= 3
    texts = user.texts()
    assert texts.count("Votre réponse") == 2
    assert "À retenir" in texts
    assert user.question() is not None and user.question()[1] == "GOV-03"  # type: ignore[index]
    assert db_reads.answers(sessions) == {"GOV-01": "non", "GOV-02": "oui"}


async def test_language_code_then_langue_override(polling_bot: RunningBot) -> None:
    user = polling_bot.user(1006, language_code="en-GB", name="Sam")
    hello = user.texts(await user.say("/start"))
    assert "Hello" in hello and "Bonjour" not in hello
    assert "Register my" in user.messages()[-1].labels[0]
    await user.say("/langue")
    before = len(user.messages())
    (switched,) = await user.tap("Français")
    assert switched.edited and switched.text.startswith("C’est noté")
    assert len(user.messages()) == before  # the language choice was edited, nothing new sent
    assert "Voici ce que je sais faire" in user.texts(await user.say("/aide"))

    english = polling_bot.fake.commands_for(user.user_id, "en")
    french = polling_bot.fake.commands_for(user.user_id, "fr")
    assert [name for name, _ in english] == [name for name, _ in french]
    assert dict(english)["score"] == "See the maturity index and grade"
    assert dict(french)["score"] == "Voir l’indice de maturité et la lettre"
    assert polling_bot.fake.commands_for(user.user_id, "de") == french
