"""The shared path: updates read into `Incoming` (for both libraries' objects alike), then replies
sent back: edits with fallback, toasts, unreachable chats (real HTTP, both libraries)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from bot.telegram.bridge import (
    Incoming,
    TelegramBridge,
    callback_incoming,
    message_incoming,
)
from bot.telegram.commands import register_commands
from dialogs.events import Event, EventKind, Sender
from dialogs.replies import Button, Outcome, Reply
from tests.bot.telegram.conftest import fast_flood, library_api
from tests.helpers.fake_bot_api import FakeBotApi

KEYBOARD = ((Button("Oui", "a:GOV-01:oui"),),)


class NoService:
    """The bridge's reply path does not call the service; fail loudly if it does."""

    async def handle(self, sender: Sender, event: Event) -> Outcome:
        raise AssertionError("not used here")

    async def replies_sent(self, sender: Sender, event_id: str) -> None:
        raise AssertionError("not used here")


@dataclass(frozen=True)
class User:
    id: int
    first_name: str = "Camille"
    last_name: str | None = None
    language_code: str | None = "fr"


@dataclass(frozen=True)
class Chat:
    id: int


@dataclass(frozen=True)
class Message:
    chat: Chat
    message_id: int
    from_user: User | None = None
    text: str | None = None


@dataclass(frozen=True)
class Inaccessible:
    chat: Chat
    message_id: int = 0


@dataclass(frozen=True)
class Query:
    id: str
    from_user: User
    message: Message | Inaccessible | None
    data: str | None


def _incoming(chat: int, message_id: int | None) -> Incoming:
    carrier = Message(Chat(chat), message_id) if message_id is not None else None
    return callback_incoming(1, 1, Query("cq", User(chat), carrier, "a:GOV-01:oui"), Message)


def test_messages_become_events_of_their_sender() -> None:
    person = User(7, "Camille", "Durand", "")
    incoming = message_incoming(99, 12, Message(Chat(70), 5, person, "/start"))
    assert incoming is not None and incoming.chat_id == 70 and incoming.callback_id is None
    assert incoming.sender == Sender("telegram", "7", "70", "Camille Durand", None)
    assert incoming.event.kind is EventKind.START and incoming.event.event_id == "tg:99:12"
    sticker = message_incoming(99, 13, Message(Chat(70), 6, person, None))
    assert sticker is not None and sticker.event.kind is EventKind.UNSUPPORTED
    assert message_incoming(99, 14, Message(Chat(70), 7, None, "hello")) is None  # channel post


def test_a_press_on_an_inaccessible_message_cannot_edit_it() -> None:
    fresh = callback_incoming(1, 2, Query("q1", User(7), Message(Chat(70), 5), "x"), Message)
    assert (fresh.chat_id, fresh.message_id, fresh.event.message_ref) == (70, 5, "5")
    old = callback_incoming(1, 3, Query("q2", User(7), Inaccessible(Chat(70)), "x"), Message)
    assert (old.chat_id, old.message_id, old.event.message_ref) == (70, None, None)
    lost = callback_incoming(1, 4, Query("q3", User(7), None, None), Message)
    assert (lost.chat_id, lost.message_id, lost.event.data, lost.callback_id) == (7, None, "", "q3")


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

        async def replies_sent(self, sender: Sender, event_id: str) -> None:
            raise AssertionError("not reached")

    fake.add_user(7)
    bridge = TelegramBridge(Broken(), fast_flood())
    async with library_api(library, fake) as api:
        await bridge.process(api, _incoming(7, None))
    await bridge.drain(timeout=1)
    assert len(bridge.lanes) == 0


class StaffService:
    """Chat 8 is a referent (the engine says `staff`), chat 7 an ordinary member."""

    async def handle(self, sender: Sender, event: Event) -> Outcome:
        return Outcome((Reply("ok"),), staff=sender.external_id == "8")

    async def replies_sent(self, sender: Sender, event_id: str) -> None:
        return None


async def test_staff_commands_join_the_menu_of_referents_only(
    fake: FakeBotApi, library: str
) -> None:
    """Issue 17: /collectivites and /admin are in the menu of referents and administrators only."""
    fake.add_user(7)
    fake.add_user(8, language_code="en")
    bridge = TelegramBridge(StaffService(), fast_flood())
    async with library_api(library, fake) as api:
        await register_commands(api)
        lang = {7: "fr", 8: "en"}
        for update_id, chat in enumerate((7, 8, 8, 7), 1):
            incoming = message_incoming(
                api.bot_id,
                update_id,
                Message(Chat(chat), update_id, User(chat, language_code=lang[chat]), "/aide"),
            )
            assert incoming is not None
            await bridge.process(api, incoming)
    everyone = [name for name, _ in fake.commands_for(7, "fr")]
    assert "collectivites" not in everyone and "admin" not in everyone and "plan" in everyone
    staff = fake.commands_for(8, "en")
    assert ("admin", "Administer the platform: OPSNs and referents") in staff
    assert [name for name, _ in staff][-5:] == [
        "collectivites",
        "admin",
        "aide",
        "langue",
        "annuler",
    ]
    assert len(fake.calls("setMyCommands")) == 4  # default lists (3), chat 8 once
