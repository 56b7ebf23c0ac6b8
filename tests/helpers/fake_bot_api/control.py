"""`/__sim/*` routes: drive a standalone fake (CLI, subprocess tests, curl) over HTTP.

POST /__sim/message {user_id, text, language_code?, first_name?}  -> the queued update
POST /__sim/press   {user_id, message_id, data} or {user_id, label} -> the queued update
POST /__sim/fail_next {count?, status?, retry_after?, methods?}
POST /__sim/block   {chat_id}
GET  /__sim/messages?chat_id=N, /__sim/calls?method=name, /__sim/stats
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .records import BotMessage, Call

if TYPE_CHECKING:
    from .server import FakeBotApi

Route = Callable[[web.Request], Awaitable[web.Response]]


def message_json(message: BotMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "kind": message.kind,
        "text": message.text,
        "buttons": [[list(button) for button in row] for row in message.buttons],
        "edited": message.edited,
        "edit_count": message.edit_count,
        "file_name": message.file.file_name if message.file else None,
        "file_size": message.file.size if message.file else None,
    }


def call_json(call: Call) -> dict[str, Any]:
    params = {
        key: value
        if isinstance(value, str | int | float | bool | list | dict | None)
        else repr(value)
        for key, value in call.params.items()
    }
    return {
        "method": call.method,
        "params": params,
        "status": call.status,
        "error": call.error,
        "at": call.at,
        "duration": call.duration,
    }


def _guarded(handler: Callable[[web.Request], Awaitable[Any]]) -> Route:
    async def route(request: web.Request) -> web.Response:
        try:
            return web.json_response({"ok": True, "result": await handler(request)})
        except (KeyError, TypeError, ValueError, LookupError) as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=400)

    return route


def add_control_routes(app: web.Application, fake: FakeBotApi) -> None:
    async def message(request: web.Request) -> Any:
        body = await request.json()
        return await fake.send_text(
            int(body["user_id"]),
            str(body["text"]),
            language_code=body.get("language_code"),
            first_name=body.get("first_name"),
        )

    async def press(request: web.Request) -> Any:
        body = await request.json()
        if "label" in body:
            return await fake.press_button(int(body["user_id"]), str(body["label"]))
        return await fake.press(int(body["user_id"]), int(body["message_id"]), str(body["data"]))

    async def fail_next(request: web.Request) -> Any:
        body = await request.json()
        fake.fail_next(
            int(body.get("count", 1)),
            int(body.get("status", 429)),
            int(body.get("retry_after", 1)),
            body.get("methods"),
        )
        return True

    async def block(request: web.Request) -> Any:
        fake.block_chat(int((await request.json())["chat_id"]))
        return True

    async def messages(request: web.Request) -> Any:
        return [message_json(m) for m in fake.messages(int(request.query["chat_id"]))]

    async def calls(request: web.Request) -> Any:
        return [call_json(call) for call in fake.calls(request.query.get("method"))]

    async def stats(request: web.Request) -> Any:
        current = fake.stats
        return {
            "requests": current.requests,
            "by_status": {str(k): v for k, v in current.by_status.items()},
            "too_many_requests": current.too_many_requests,
            "server_errors": current.server_errors,
            "pending_updates": fake.pending_updates,
        }

    for path, handler in (
        ("message", message),
        ("press", press),
        ("fail_next", fail_next),
        ("block", block),
    ):
        app.router.add_post(f"/__sim/{path}", _guarded(handler))
    for path, handler in (("messages", messages), ("calls", calls), ("stats", stats)):
        app.router.add_get(f"/__sim/{path}", _guarded(handler), allow_head=False)
