"""Webhook mode: the fake Bot API POSTs updates to our FastAPI route, as Telegram does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.telegram.options import WEBHOOK_PATH
from bot.telegram.webhook import SECRET_HEADER, webhook_router
from tests.bot.telegram import db_reads
from tests.bot.telegram.conftest import SECRET, RunningBot, WebServer, free_port


async def test_conversation_over_webhook_with_redelivery(
    webhook_bot: RunningBot, sessions: Any
) -> None:
    fake = webhook_bot.fake
    user = webhook_bot.user(2001)
    await user.register()
    message, qid = user.question() or (None, "")
    assert message is not None
    tap = await fake.press(user.user_id, message.message_id, f"a:{qid}:oui")
    await user.handled(tap)
    assert db_reads.answers(sessions)[qid] == "oui"
    shown, history = user.messages(), db_reads.history_count(sessions)

    assert await user.redeliver(tap) == []  # a webhook retry of the same update_id
    assert user.messages() == shown
    assert db_reads.history_count(sessions) == history
    # The fake records a delivery once our response reaches it, just after the update is handled.
    await fake.wait_for(lambda: len(fake.deliveries(tap["update_id"])) == 2, 10)
    deliveries = [d for d in fake.deliveries() if d.update_id == tap["update_id"]]
    assert len(deliveries) == 2 and all(d.status == 200 for d in deliveries)
    setwebhook = fake.calls("setWebhook")[-1].params
    assert setwebhook["secret_token"] == SECRET
    assert setwebhook["url"].endswith(WEBHOOK_PATH)


async def test_route_rejects_wrong_or_missing_secret() -> None:
    fed: list[dict[str, Any]] = []

    async def feed(update: dict[str, Any]) -> None:
        fed.append(update)

    app = FastAPI()
    app.include_router(webhook_router(feed, SECRET))
    port = free_port()
    update = {"update_id": 7, "message": {"message_id": 1}}
    async with WebServer(app, port) as web, httpx.AsyncClient(base_url=web.url) as client:
        missing = await client.post(WEBHOOK_PATH, json=update)
        wrong = await client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "nope"})
        longer = await client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET + "x"})
        garbage = await client.post(
            WEBHOOK_PATH, content=b"{not json", headers={SECRET_HEADER: SECRET}
        )
        no_id = await client.post(WEBHOOK_PATH, json={"x": 1}, headers={SECRET_HEADER: SECRET})
        good = await client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
    assert [missing.status_code, wrong.status_code, longer.status_code] == [403, 403, 403]
    assert [garbage.status_code, no_id.status_code, good.status_code] == [400, 400, 200]
    assert fed == [update]


async def test_failed_processing_answers_500_so_telegram_retries() -> None:
    async def feed(update: dict[str, Any]) -> None:
        raise RuntimeError("database down")

    app = FastAPI()
    app.include_router(webhook_router(feed, SECRET))
    async with WebServer(app, free_port()) as web, httpx.AsyncClient(base_url=web.url) as client:
        answer = await client.post(
            WEBHOOK_PATH, json={"update_id": 1}, headers={SECRET_HEADER: SECRET}
        )
    assert answer.status_code == 500


def test_router_refuses_an_empty_secret() -> None:
    async def feed(update: dict[str, Any]) -> None:
        return None

    with pytest.raises(ValueError):
        webhook_router(feed, "")
