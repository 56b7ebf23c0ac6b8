"""The shared reply path: edits with fallback, toasts, unreachable chats (real HTTP, both libraries)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.telegram.bridge import Incoming, TelegramBridge, button_event, sender_of
from dialogs.events import Event, Sender
from dialogs.replies import Button, Outcome, Reply
from tests.bot.telegram.conftest import fast_flood, library_api
from tests.helpers.fake_bot_api import FakeBotApi

KEYBOARD = ((Button("Oui", "a:GOV-01:oui"),),)


class NoService:
    """The bridge's reply path does not call the service; fail loudly if it does."""

    async def handle(self, sender: Sender, event: Event) -> Outcome:
        raise AssertionError("not used here")


def _incoming(chat: int, message_id: int | None) -> Incoming:
    return Incoming(
        update_id=1,
        chat_id=chat,
        sender=sender_of(chat, chat, "Camille", None, "fr"),
        event=button_event(1, 1, "a:GOV-01:oui", message_id),
        callback_id="cq",
        message_id=message_id,
    )


async def test_edit_replaces_text_and_removes_buttons(fake: FakeBotApi, library: str) -> None:
    fake.add_user(7)
    bridge = TelegramBridge(NoService(), fast_flood())
    async with library_api(library, fake) as api:
        message_id = await bridge.send(api, 7, Reply("Question ?", KEYBOARD))
        await bridge.send_outcome(
            api,
            _incoming(7, message_id),
            Outcome((Reply("Question ?\n\nVotre réponse : Oui", edit=True),)),
        )
        # Same edit again: Telegram says "not modified"; nothing breaks, nothing is sent.
        await bridge.edit(api, 7, message_id, Reply("Question ?\n\nVotre réponse : Oui"))
    (shown,) = fake.messages(7)
    assert shown.edited and shown.buttons == () and shown.text.endswith("Votre réponse : Oui")


async def test_refused_edit_falls_back_to_a_new_message(fake: FakeBotApi, library: str) -> None:
    fake.add_user(7)
    bridge = TelegramBridge(NoService(), fast_flood())
    async with library_api(library, fake) as api:
        await bridge.send_outcome(
            api, _incoming(7, 4242), Outcome((Reply("Réponse enregistrée", KEYBOARD, edit=True),))
        )
    (shown,) = fake.messages(7)
    assert shown.text == "Réponse enregistrée" and shown.labels == ["Oui"]


async def test_long_edit_keeps_the_rest_as_new_messages(fake: FakeBotApi, library: str) -> None:
    fake.add_user(7)
    bridge = TelegramBridge(NoService(), fast_flood())
    long_text = "\n\n".join("Paragraphe " + "é" * 1500 for _ in range(4))
    async with library_api(library, fake) as api:
        message_id = await bridge.send(api, 7, Reply("Court", KEYBOARD))
        await bridge.edit(api, 7, message_id, Reply(long_text, KEYBOARD))
    messages = fake.messages(7)
    assert len(messages) == 2 and messages[0].edited
    assert [bool(m.buttons) for m in messages] == [False, True]


async def test_a_toast_without_reply_becomes_a_message(fake: FakeBotApi, library: str) -> None:
    fake.add_user(7)
    bridge = TelegramBridge(NoService(), fast_flood())
    async with library_api(library, fake) as api:
        await bridge.send_outcome(api, _incoming(7, None), Outcome((), toast="Déjà fait."))
    assert [m.text for m in fake.messages(7)] == ["Déjà fait."]


async def test_blocked_user_stops_the_replies_quietly(
    fake: FakeBotApi, library: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake.add_user(7)
    fake.block_chat(7)
    bridge = TelegramBridge(NoService(), fast_flood())
    with caplog.at_level(logging.INFO, logger="bot.telegram.bridge"):
        async with library_api(library, fake) as api:
            await bridge.send_outcome(api, _incoming(7, None), Outcome((Reply("a"), Reply("b"))))
    assert len(fake.calls("sendMessage")) == 1  # the second reply is not even tried
    assert any("cannot be reached" in r.getMessage() for r in caplog.records)


async def test_processing_never_raises_into_the_library(fake: FakeBotApi, library: str) -> None:
    class Broken:
        async def handle(self, sender: Sender, event: Event) -> Any:
            raise RuntimeError("bug")

    fake.add_user(7)
    bridge = TelegramBridge(Broken(), fast_flood())
    async with library_api(library, fake) as api:
        await bridge.process(api, _incoming(7, None))
    await bridge.drain(timeout=1)
    assert len(bridge.lanes) == 0
