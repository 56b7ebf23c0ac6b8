"""The fake Bot API driven by the real python-telegram-bot client over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on int durations (RetryAfter) unless opted in; warnings are errors here."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def bot(fake_bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    fake_bot_api.add_user(42, first_name="Camille")
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.ptb_base_url) as client:
        yield client


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_send_message_with_keyboard_returns_a_full_message(
    fake_bot_api: FakeBotApi, bot: Bot
) -> None:
    sent = await bot.send_message(42, "Question 7 ?", reply_markup=keyboard(("Oui", "a:q07:o")))

    assert sent.chat.id == 42 and sent.chat.first_name == "Camille"
    assert sent.from_user is not None and sent.from_user.username == "ecoclic_test_bot"
    assert sent.date.year >= 2024
    assert sent.reply_markup == keyboard(("Oui", "a:q07:o"))
    [shown] = fake_bot_api.messages(42)
    assert (shown.text, shown.buttons, shown.edited) == (
        "Question 7 ?",
        ((("Oui", "a:q07:o"),),),
        False,
    )


async def test_edit_applies_and_refuses_an_identical_edit(
    fake_bot_api: FakeBotApi, bot: Bot
) -> None:
    sent = await bot.send_message(42, "Q1", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text(
        "Q1 : <b>A</b>", chat_id=42, message_id=sent.message_id, parse_mode="HTML"
    )
    assert isinstance(edited, object) and fake_bot_api.messages(42)[0].text == "Q1 : A"
    assert fake_bot_api.messages(42)[0].buttons == ()  # no reply_markup: keyboard removed

    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text(
            "Q1 : <b>A</b>", chat_id=42, message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match=r"(?i)to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)
    assert fake_bot_api.messages(42)[0].edit_count == 1


async def test_callback_answered_once_only(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(42, "Q", reply_markup=keyboard(("Oui", "o"), ("Non", "n")))
    update = await fake_bot_api.press_button(42, "non")
    query_id = update["callback_query"]["id"]

    assert await bot.answer_callback_query(query_id, text="Noté")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    [answer] = fake_bot_api.answered_callbacks
    assert (answer.data, answer.message_id, answer.text) == ("n", sent.message_id, "Noté")


async def test_commands_per_language(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Commencer")], language_code="fr")
    await bot.set_my_commands([("start", "Start")])

    assert fake_bot_api.commands == {
        ("default", "fr"): [("start", "Commencer")],
        ("default", ""): [("start", "Start")],
    }
    assert [c.description for c in await bot.get_my_commands(language_code="fr")] == ["Commencer"]
    assert fake_bot_api.commands_for(42, "en") == [("start", "Start")]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "Majuscule interdite")])


async def test_send_document_keeps_the_bytes(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_document(42, b"%PDF-1.7 plan", filename="plan.pdf", caption="Plan")

    assert sent.document is not None and sent.document.file_name == "plan.pdf"
    assert sent.document.mime_type == "application/pdf" and sent.caption == "Plan"
    [shown] = fake_bot_api.messages(42)
    assert shown.kind == "document" and shown.file is not None
    assert shown.file.data == b"%PDF-1.7 plan"


async def test_long_polling_wakes_on_injection_and_honours_offsets(
    fake_bot_api: FakeBotApi, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake_bot_api.wait_for(lambda: fake_bot_api.polling)
    started = time.monotonic()
    sent = await fake_bot_api.send_text(42, "/start CODE42")
    [update] = await poll

    assert time.monotonic() - started < 1.0
    assert update.update_id == sent["update_id"] and update.message is not None
    assert update.message.text == "/start CODE42"
    assert update.message.entities[0].type == "bot_command"
    assert await bot.get_updates(timeout=0) == (update,)  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert await bot.get_updates(timeout=0) == ()  # confirmed for good


async def test_a_second_bot_instance_terminates_the_first_poll(
    fake_bot_api: FakeBotApi, bot: Bot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await fake_bot_api.wait_for(lambda: fake_bot_api.polling)
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.ptb_base_url) as other:
        assert await other.get_updates(timeout=0) == ()

    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_injected_429_becomes_retry_after(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    fake_bot_api.fail_next(1, status=429, retry_after=3, methods=["sendMessage"])

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(42, "Bonjour")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(42, "Bonjour")
    assert fake_bot_api.stats.too_many_requests == 1
    assert [c.status for c in fake_bot_api.calls("sendMessage")] == [429, 200]


async def test_blocked_user_gives_forbidden(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    fake_bot_api.block_chat(42)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "Rappel")
    await fake_bot_api.send_text(42, "/start")  # the user comes back
    assert (await bot.send_message(42, "Re-bonjour")).text == "Re-bonjour"


async def test_limits_are_enforced(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(42, "Q", reply_markup=keyboard(("é", "é" * 33)))  # 66 bytes
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await bot.send_message(42, "<b>gras</i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(43, "inconnu")
    assert await bot.send_message(42, "x" * 4096)
    assert len(fake_bot_api.messages(42)) == 1


async def test_application_polling_end_to_end(fake_bot_api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        code = context.args[0] if context.args else "?"
        await update.message.reply_text(f"Code {code}", reply_markup=keyboard(("Oui", "o")))

    async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Réponse : {query.data}")

    app = (
        ApplicationBuilder()
        .token(fake_bot_api.token)
        .base_url(fake_bot_api.ptb_base_url)
        .base_file_url(fake_bot_api.ptb_base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tap))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        await fake_bot_api.send_text(7, "/start ABC")
        [question] = await fake_bot_api.wait_for_messages(7, 1)
        await fake_bot_api.press_button(7, "Oui")
        await fake_bot_api.wait_for(lambda: fake_bot_api.messages(7)[0].edited)
        await fake_bot_api.wait_idle(quiet=0.1)
        await app.updater.stop()
        await app.stop()

    assert question.text == "Code ABC"
    assert fake_bot_api.messages(7)[0].text == "Réponse : o"
    assert len(fake_bot_api.answered_callbacks) == 1
    assert fake_bot_api.calls("deleteWebhook")[0].ok
    assert all(c.status in (200, 499) for c in fake_bot_api.calls())
