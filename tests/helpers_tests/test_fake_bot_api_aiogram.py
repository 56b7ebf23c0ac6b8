"""The fake Bot API driven by the real aiogram 3 client over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.helpers.fake_bot_api import FakeBotApi


def aiogram_bot(fake: FakeBotApi) -> Bot:
    return Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))


@pytest.fixture
async def bot(fake_bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    fake_bot_api.add_user(42, first_name="Camille", language_code="fr")
    client = aiogram_bot(fake_bot_api)
    yield client
    await client.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=t, callback_data=d) for t, d in pairs]
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def test_send_edit_and_markup_only_edit(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(42, "Q7 ?", reply_markup=keyboard(("Oui", "o"), ("Non", "n")))
    assert sent.reply_markup is not None
    assert [[b.text for b in row] for row in sent.reply_markup.inline_keyboard] == [["Oui", "Non"]]

    edited = await bot.edit_message_text(
        "Q7 : Oui", chat_id=42, message_id=sent.message_id, reply_markup=keyboard(("Modifier", "m"))
    )
    assert isinstance(edited, Message) and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=42, message_id=sent.message_id, reply_markup=keyboard(("Modifier", "m"))
        )
    await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id)
    [shown] = fake_bot_api.messages(42)
    assert (shown.text, shown.buttons, shown.edit_count) == ("Q7 : Oui", (), 2)
    assert await bot.delete_message(42, sent.message_id)
    assert fake_bot_api.messages(42) == []


async def test_answer_twice_is_refused(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(42, "Q", reply_markup=keyboard(("Oui", "o")))
    update = await fake_bot_api.press(42, sent.message_id, "o")
    query_id = update["callback_query"]["id"]

    assert await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("unknown")


async def test_commands_per_scope_and_language(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(
        [BotCommand(command="aide", description="Aide")], scope=scope, language_code="fr"
    )
    await bot.set_my_commands([BotCommand(command="help", description="Help")], scope=scope)

    assert fake_bot_api.commands_for(42, "fr") == [("aide", "Aide")]
    assert fake_bot_api.commands_for(42, "de") == [("help", "Help")]
    got = await bot.get_my_commands(scope=scope, language_code="fr")
    assert [c.command for c in got] == ["aide"]
    await bot.delete_my_commands(scope=scope, language_code="fr")
    assert fake_bot_api.commands == {("all_private_chats", ""): [("help", "Help")]}
    with pytest.raises(TelegramBadRequest, match="DESCRIPTION_INVALID"):
        await bot.set_my_commands([BotCommand(command="long", description="x" * 257)])


async def test_uploads_resolve_attach_parts(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    document = BufferedInputFile(b"id;score\n1;42\n", filename="resultats.csv")
    sent = await bot.send_document(42, document, caption="Résultats")
    assert sent.document is not None and sent.document.file_size == 14
    assert sent.document.mime_type == "text/csv"

    call = fake_bot_api.calls("sendDocument")[0]
    assert call.params["document"].data == b"id;score\n1;42\n"

    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(42, BufferedInputFile(b"not an image", filename="x.png"))


async def test_long_polling_with_offsets(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    first = await fake_bot_api.send_text(42, "bonjour")
    [update] = await bot.get_updates(timeout=0)
    assert update.update_id == first["update_id"]

    poll = asyncio.create_task(bot.get_updates(offset=update.update_id + 1, timeout=10))
    await fake_bot_api.wait_for(lambda: fake_bot_api.polling)
    await fake_bot_api.send_sticker(42)
    [second] = await asyncio.wait_for(poll, 2)
    assert second.update_id == update.update_id + 1
    assert second.message is not None and second.message.sticker is not None

    fake_bot_api.redeliver(update.update_id)  # a duplicate after confirmation
    [again] = await bot.get_updates(offset=second.update_id + 1, timeout=0)
    assert again.update_id == update.update_id


async def test_retry_after_forbidden_and_limits(fake_bot_api: FakeBotApi, bot: Bot) -> None:
    fake_bot_api.fail_next(1, status=429, retry_after=2)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(42, "Bonjour")
    assert caught.value.retry_after == 2

    fake_bot_api.block_chat(42)
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_chat_action(42, "typing")
    fake_bot_api.unblock_chat(42)

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(42, "Q", reply_markup=keyboard(("Trop long", "x" * 65)))
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(42, "é" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(42, "<b> </b>", parse_mode="HTML")
    assert fake_bot_api.messages(42) == []
    assert fake_bot_api.stats.too_many_requests == 1


async def test_dispatcher_polling_end_to_end(fake_bot_api: FakeBotApi) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart(deep_link=True))
    async def start(message: Message, command: CommandObject) -> None:
        await message.answer(f"Code {command.args}", reply_markup=keyboard(("Oui", "o")))

    @dp.callback_query(F.data == "o")
    async def tap(query: CallbackQuery) -> None:
        await query.answer("Merci")
        assert isinstance(query.message, Message)
        await query.message.edit_text("Réponse : oui")

    polling = asyncio.create_task(
        dp.start_polling(aiogram_bot(fake_bot_api), polling_timeout=1, handle_signals=False)
    )
    try:
        await fake_bot_api.send_text(9, "/start q07")
        [question] = await fake_bot_api.wait_for_messages(9, 1)
        await fake_bot_api.press_button(9, "oui")
        await fake_bot_api.wait_for(lambda: fake_bot_api.answered_callbacks)
        await fake_bot_api.wait_for(lambda: fake_bot_api.messages(9)[0].edited)
    finally:
        await dp.stop_polling()
        await polling

    assert question.text == "Code q07"
    assert fake_bot_api.answered_callbacks[0].text == "Merci"
    assert fake_bot_api.messages(9)[0].text == "Réponse : oui"
