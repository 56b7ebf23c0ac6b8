"""`TelegramDelivery` (used by the outbox dispatcher): one attempt, failures mapped for retry logic."""

from __future__ import annotations

import pytest

from bot.delivery import DeliveryError, RetryLater, TransientFailure, Undeliverable
from bot.telegram.delivery import TelegramDelivery
from dialogs.replies import Button, Reply
from tests.bot.telegram.conftest import fast_flood, library_api
from tests.helpers.fake_bot_api import FakeBotApi

INVITE = Reply("Camille demande à rejoindre l’équipe <Test>.", ((Button("Accepter", "jr:a:1"),),))


async def test_delivers_and_returns_the_message_id(fake: FakeBotApi, library: str) -> None:
    fake.add_user(5)
    async with library_api(library, fake) as api:
        message_id = await TelegramDelivery(api, fast_flood()).deliver("5", INVITE)
    shown = fake.last_message(5)
    assert shown is not None and message_id == str(shown.message_id)
    assert shown.text == INVITE.text and shown.labels == ["Accepter"]


async def test_long_message_is_split_and_the_last_id_returned(
    fake: FakeBotApi, library: str
) -> None:
    fake.add_user(5)
    text = "\n".join(f"Ligne {i} : " + "x" * 90 for i in range(80))  # ~7 700 characters
    async with library_api(library, fake) as api:
        message_id = await TelegramDelivery(api, fast_flood()).deliver("5", Reply(text))
    messages = fake.messages(5)
    assert len(messages) == 2 and message_id == str(messages[-1].message_id)
    assert "\n".join(m.text for m in messages) == text


@pytest.mark.parametrize(
    ("status", "error"),
    [(429, RetryLater), (500, TransientFailure), (502, TransientFailure), (403, Undeliverable)],
)
async def test_failures_are_mapped(
    fake: FakeBotApi, library: str, status: int, error: type[Exception]
) -> None:
    fake.add_user(5)
    fake.fail_next(1, status=status, retry_after=7, methods=["sendMessage"])
    async with library_api(library, fake) as api:
        with pytest.raises(error) as raised:
            await TelegramDelivery(api, fast_flood()).deliver("5", INVITE)
    if isinstance(raised.value, RetryLater):
        assert raised.value.retry_after == 7


async def test_blocked_bot_and_unknown_chat_are_undeliverable(
    fake: FakeBotApi, library: str
) -> None:
    fake.add_user(5)
    fake.block_chat(5)
    async with library_api(library, fake) as api:
        delivery = TelegramDelivery(api, fast_flood())
        with pytest.raises(Undeliverable):
            await delivery.deliver("5", INVITE)
        with pytest.raises(Undeliverable):
            await delivery.deliver("999", INVITE)  # never wrote to the bot: chat not found
        with pytest.raises(Undeliverable):
            await delivery.deliver("not-a-chat", INVITE)


async def test_other_refusals_are_not_mistaken_for_a_blocked_user(
    fake: FakeBotApi, library: str
) -> None:
    fake.add_user(5)
    fake.fail_next(1, status=400, methods=["sendMessage"], description="Bad Request: odd")
    async with library_api(library, fake) as api:
        with pytest.raises(DeliveryError) as raised:
            await TelegramDelivery(api, fast_flood()).deliver("5", INVITE)
    assert not isinstance(raised.value, Undeliverable)
