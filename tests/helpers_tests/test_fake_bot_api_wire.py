"""The fake Bot API over plain HTTP (httpx): encodings, envelopes, strictness, faults, CLI."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.fake_bot_api import ApiError, FakeBotApi, FakeTimeout, tiny_png
from tests.helpers.fake_bot_api.faults import FloodLimiter

ROOT = Path(__file__).resolve().parents[2]


class Api:
    """Minimal raw client: returns (HTTP status, decoded envelope)."""

    def __init__(self, fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        self.fake, self.client = fake, client

    def url(self, method: str, token: str | None = None) -> str:
        return f"{self.fake.base_url}/bot{token or self.fake.token}/{method}"

    async def __call__(self, method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        response = await self.client.post(self.url(method), **kwargs)
        return response.status_code, response.json()


@pytest.fixture
async def api(fake_bot_api: FakeBotApi) -> AsyncIterator[Api]:
    fake_bot_api.add_user(42)
    async with httpx.AsyncClient(timeout=10) as client:
        yield Api(fake_bot_api, client)


async def test_every_encoding_is_understood(fake_bot_api: FakeBotApi, api: Api) -> None:
    markup = {"inline_keyboard": [[{"text": "Oui", "callback_data": "o"}]]}
    query = await api.client.get(api.url("sendMessage"), params={"chat_id": "42", "text": "q"})
    form = await api(
        "sendMessage", data={"chat_id": "42", "text": "f", "reply_markup": json.dumps(markup)}
    )
    body = await api("sendMessage", json={"chat_id": 42, "text": "j", "reply_markup": markup})
    upload = await api(
        "sendDocument",
        data={"chat_id": "42", "document": "attach://part1"},
        files={"part1": ("note.txt", b"bonjour", "text/plain")},
    )

    assert query.status_code == 200 and query.json()["result"]["text"] == "q"
    assert form[1]["result"]["reply_markup"] == markup == body[1]["result"]["reply_markup"]
    assert upload[1]["result"]["document"]["file_name"] == "note.txt"
    assert [m.text for m in fake_bot_api.messages(42)] == ["q", "f", "j", ""]
    assert {c.params["chat_id"] for c in fake_bot_api.calls()} == {42}


async def test_envelopes_for_token_method_and_case(fake_bot_api: FakeBotApi, api: Api) -> None:
    wrong = await api.client.post(api.url("getMe", token="999:nope"))
    unknown = await api("sendTelepathy")
    me = await api("GETME")

    assert (wrong.status_code, wrong.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert unknown == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert me[1]["result"]["username"] == "ecoclic_test_bot" and me[1]["result"]["is_bot"]
    assert [c.method for c in fake_bot_api.calls()] == ["getMe", "sendTelepathy", "getMe"]


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>gras</i>", 'expected "</b>", found "</i>"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink"'),
        ("R&D", "Character entity expected at byte offset 1"),
        ("1 < 2", 'Unsupported start tag ""'),
        ("x</b>", "Unexpected end tag"),
    ],
)
async def test_bad_html_is_refused(api: Api, html: str, problem: str) -> None:
    status, body = await api(
        "sendMessage", json={"chat_id": 42, "text": html, "parse_mode": "HTML"}
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    assert problem in body["description"]


async def test_html_becomes_text_and_utf16_entities(api: Api) -> None:
    html = '<b>é😀</b> &lt;3 <a href="https://exemple.fr">lien</a> <i><u>x</u></i>'
    status, body = await api(
        "sendMessage", json={"chat_id": 42, "text": html, "parse_mode": "HTML"}
    )

    assert status == 200 and body["result"]["text"] == "é😀 <3 lien x"
    assert body["result"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "text_link", "offset": 7, "length": 4, "url": "https://exemple.fr"},
        {"type": "italic", "offset": 12, "length": 1},
        {"type": "underline", "offset": 12, "length": 1},
    ]


async def test_flood_limits_per_chat_and_globally() -> None:
    async with (
        FakeBotApi(enforce_flood_limits=True, flood_global_per_second=6) as fake,
        httpx.AsyncClient() as client,
    ):
        api = Api(fake, client)
        for chat in range(1, 8):
            fake.add_user(chat)
        burst = [await api("sendMessage", json={"chat_id": 1, "text": "x"}) for _ in range(4)]
        others = [await api("sendMessage", json={"chat_id": c, "text": "x"}) for c in (2, 3, 4, 5)]

    assert [status for status, _ in burst] == [200, 200, 200, 429]
    assert burst[-1][1]["parameters"] == {"retry_after": 1}
    assert [status for status, _ in others] == [200, 200, 200, 429]  # 6 sends in the second
    assert fake.stats.flood_limited == fake.stats.too_many_requests == 2


def test_flood_model_refills_and_slides() -> None:
    limiter = FloodLimiter(chat_rate=1.0, chat_burst=3, global_per_second=30)
    for at in (0.0, 0.1, 0.2):
        limiter.admit(1, at)
    with pytest.raises(ApiError) as refused:
        limiter.admit(1, 0.3)
    assert (refused.value.status, refused.value.retry_after) == (429, 1)
    limiter.admit(1, 1.25)  # one message per second refills the bucket
    for chat in range(2, 31):
        limiter.admit(chat, 1.3)  # 30 sends in the window (0.3, 1.3]
    with pytest.raises(ApiError) as global_limit:
        limiter.admit(99, 1.3)
    assert global_limit.value.retry_after == 1
    limiter.admit(99, 2.26)  # the send at 1.25 left the 1-second window


async def test_fail_ratio_is_seeded_and_counted(fake_bot_api: FakeBotApi, api: Api) -> None:
    fake_bot_api.fail_ratio(0.3, statuses=(429, 502), seed=7)
    statuses = [(await api("sendMessage", json={"chat_id": 42, "text": "x"}))[0] for _ in range(60)]
    await api("getMe")  # not a send/edit method: never failed

    failures = [s for s in statuses if s != 200]
    assert 8 <= len(failures) <= 30 and set(failures) <= {429, 502}
    stats = fake_bot_api.stats
    assert stats.too_many_requests + stats.server_errors == len(failures) == stats.injected_failures
    assert len(fake_bot_api.messages(42)) == 60 - len(failures)


async def test_latency_and_idleness(fake_bot_api: FakeBotApi, api: Api) -> None:
    fake_bot_api.set_latency(0.2, methods=["sendMessage"])
    started = time.monotonic()
    call = asyncio.create_task(api("sendMessage", json={"chat_id": 42, "text": "lent"}))
    await fake_bot_api.wait_for(lambda: fake_bot_api.running_calls)  # the call has arrived
    await fake_bot_api.wait_idle(quiet=0.05)  # waits for the slow call to finish
    assert call.done() and time.monotonic() - started >= 0.2
    assert fake_bot_api.calls("sendMessage")[0].duration >= 0.2

    await fake_bot_api.send_text(42, "personne ne lit")  # no poller: stays pending
    with pytest.raises(FakeTimeout, match="1 updates not taken"):
        await fake_bot_api.wait_idle(quiet=0.05, timeout=0.2)


async def test_user_photo_can_be_downloaded(fake_bot_api: FakeBotApi, api: Api) -> None:
    image = tiny_png(300, 200)
    update = await fake_bot_api.send_photo_from_user(42, image, caption="Mon écran")
    sizes = update["message"]["photo"]
    assert [(s["width"], s["height"]) for s in sizes] == [(90, 60), (300, 200)]

    status, body = await api("getFile", json={"file_id": sizes[-1]["file_id"]})
    path = body["result"]["file_path"]
    download = await api.client.get(f"{fake_bot_api.base_url}/file/bot{fake_bot_api.token}/{path}")
    assert status == 200 and download.content == image


def test_cli_serves_and_accepts_simulated_users() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.fake_bot_api", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=base, timeout=5) as client:
            sim = client.post("/__sim/message", json={"user_id": 3, "text": "/start"})
            updates = client.get("/bot123456:TEST-token/getUpdates", params={"timeout": "1"})
            client.post("/bot123456:TEST-token/sendMessage", json={"chat_id": 3, "text": "Salut"})
            shown = client.get("/__sim/messages", params={"chat_id": "3"})
        assert sim.json()["result"]["message"]["text"] == "/start"
        assert updates.json()["result"][0]["message"]["entities"][0]["type"] == "bot_command"
        assert [m["text"] for m in shown.json()["result"]] == ["Salut"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()
    assert process.returncode == 0


async def test_edge_cases_get_telegram_answers(fake_bot_api: FakeBotApi, api: Api) -> None:
    broken = await api(
        "sendMessage",
        content=b"--x\r\nnot a part",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    missing = await api("deleteMessage", json={"chat_id": 42, "message_id": 77})
    reply_keyboard = {"keyboard": [[{"text": "Oui"}]], "resize_keyboard": True}
    _, sent = await api(
        "sendMessage", json={"chat_id": 42, "text": "Q", "reply_markup": reply_keyboard}
    )
    message_id = sent["result"]["message_id"]
    inline_expected = await api(
        "editMessageText",
        json={
            "chat_id": 42,
            "message_id": message_id,
            "text": "Q2",
            "reply_markup": reply_keyboard,
        },
    )

    assert (
        broken[0] == 400 and missing[1]["description"] == "Bad Request: message to delete not found"
    )
    assert "reply_markup" not in sent["result"]  # Telegram echoes inline keyboards only
    assert fake_bot_api.messages(42)[0].reply_keyboard == reply_keyboard
    assert inline_expected[1]["description"] == "Bad Request: inline keyboard expected"


async def test_simulated_users_find_buttons_and_commands(
    fake_bot_api: FakeBotApi, api: Api
) -> None:
    rows = [
        ["Oui", "o"],
        ["Oui, en partie", "p"],
        ["Non, pas du tout", "n1"],
        ["Non, jamais", "n2"],
    ]
    keyboard = {"inline_keyboard": [[{"text": t, "callback_data": d}] for t, d in rows]}
    await api("sendMessage", json={"chat_id": 42, "text": "Q", "reply_markup": keyboard})

    assert (await fake_bot_api.press_button(42, "oui"))["callback_query"]["data"] == "o"
    with pytest.raises(ValueError, match="several buttons"):
        await fake_bot_api.press_button(42, "non")
    with pytest.raises(LookupError):
        await fake_bot_api.press_button(42, "peut-être")
    deep_link = await fake_bot_api.send_text(42, "/start@ecoclic_test_bot CODE", language_code="en")
    message = deep_link["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert message["from"]["language_code"] == "en" and message["date"] > 0
    assert (await fake_bot_api.send_text(42, "/ pas une commande"))["message"].get(
        "entities"
    ) is None


async def test_send_document_is_as_strict_as_telegram(
    fake_bot_api: FakeBotApi, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.fake_bot_api import methods_messages

    def upload(content: bytes, caption: str = "") -> dict[str, Any]:
        return {
            "data": {"chat_id": "42", "caption": caption},
            "files": {"document": ("plan.ods", content, "application/octet-stream")},
        }

    ok = await api("sendDocument", **upload(b"PK\x03\x04", "Plan <b>d'actions</b>"))
    long_caption = await api("sendDocument", **upload(b"x", "é" * 1025))
    empty = await api("sendDocument", **upload(b""))
    missing = await api("sendDocument", data={"chat_id": "42"})
    monkeypatch.setattr(methods_messages, "MAX_DOCUMENT_BYTES", 10)  # 50 MB, scaled down
    too_big = await api("sendDocument", **upload(b"x" * 11))

    assert ok[0] == 200 and ok[1]["result"]["document"]["file_name"] == "plan.ods"
    assert ok[1]["result"]["caption"] == "Plan <b>d'actions</b>"  # no parse_mode: plain text
    assert long_caption == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: message caption is too long"},
    )
    assert empty[0] == 400 and "file must be non-empty" in empty[1]["description"]
    assert missing[0] == 400 and "there is no document" in missing[1]["description"]
    assert too_big[0] == 413
    assert [m.kind for m in fake_bot_api.messages(42)] == ["document"]


async def test_a_chat_scope_is_read_strictly(fake_bot_api: FakeBotApi, api: Api) -> None:
    """BotCommandScopeChat: {"type": "chat", "chat_id": …}, nothing else, a usable chat id."""
    menu = [{"command": "admin", "description": "Administrer"}]
    good = await api(
        "setMyCommands", json={"commands": menu, "scope": {"type": "chat", "chat_id": 42}}
    )
    assert good == (200, {"ok": True, "result": True})
    assert fake_bot_api.commands_for(42) == [("admin", "Administrer")]
    for scope in (
        {"type": "chat"},
        {"type": "chat", "chat_id": None},
        {"type": "chat", "chat_id": [42]},
        {"type": "chat", "chat_id": True},
        {"type": "chat", "chat_id": 42, "user_id": 7},
    ):
        status, body = await api("setMyCommands", json={"commands": menu, "scope": scope})
        assert status == 400 and not body["ok"], scope


async def test_delete_my_commands_reads_the_scope_strictly(
    fake_bot_api: FakeBotApi, api: Api
) -> None:
    """deleteMyCommands with a chat scope drops that chat's menu only; a bad scope is refused."""
    menu = [{"command": "admin", "description": "Administrer"}]
    everyone = [{"command": "aide", "description": "Aide"}]
    await api("setMyCommands", json={"commands": everyone})
    await api("setMyCommands", json={"commands": menu, "scope": {"type": "chat", "chat_id": 42}})
    await api("setMyCommands", json={"commands": menu, "scope": {"type": "chat", "chat_id": 43}})
    for scope in (
        {"type": "chat"},
        {"type": "chat", "chat_id": None},
        {"type": "chat", "chat_id": 42, "user_id": 7},
        {"type": "chats", "chat_id": 42},
        "chat:42",
    ):
        status, body = await api("deleteMyCommands", json={"scope": scope})
        assert status == 400 and not body["ok"], scope
    assert fake_bot_api.commands_for(42) == [("admin", "Administrer")]
    done = await api("deleteMyCommands", json={"scope": {"type": "chat", "chat_id": 42}})
    assert done == (200, {"ok": True, "result": True})
    assert fake_bot_api.commands_for(42) == [("aide", "Aide")]  # the default list shows again
    assert fake_bot_api.commands_for(43) == [("admin", "Administrer")]
