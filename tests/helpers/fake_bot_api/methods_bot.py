"""Bot-level methods: identity, updates (polling and webhook), callback answers, commands."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .errors import POLL_TERMINATED, QUERY_TOO_OLD, WEBHOOK_ACTIVE, ApiError, bad_request
from .params import Params
from .records import AnsweredCallback
from .state import WebhookConfig

if TYPE_CHECKING:
    from .core import Core

MAX_POLL_TIMEOUT = 50  # Telegram caps long polling around this
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")


async def get_me(core: Core, p: Params) -> Any:
    return core.state.bot_user


async def get_updates(core: Core, p: Params) -> Any:
    if core.state.webhook.url:
        raise ApiError(409, WEBHOOK_ACTIVE)
    queue = core.queue
    limit = min(max(p.integer("limit") or 100, 1), 100)
    timeout = min(max(p.integer("timeout") or 0, 0), MAX_POLL_TIMEOUT)
    queue.set_allowed(p.json("allowed_updates"))
    owner = queue.begin_poll()
    try:
        queue.confirm(p.integer("offset") or 0)
        deadline = time.monotonic() + timeout
        while True:
            changed = queue.changed()
            if not queue.owns_poll(owner):
                raise ApiError(409, POLL_TERMINATED)
            if core.state.webhook.url:
                raise ApiError(409, WEBHOOK_ACTIVE)
            batch = queue.poll_batch(limit)
            remaining = deadline - time.monotonic()
            if batch or core.closing or remaining <= 0:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
    finally:
        queue.end_poll(owner)


async def set_webhook(core: Core, p: Params) -> Any:
    url = p.text("url") or ""
    if not url:
        return await delete_webhook(core, p)
    if not url.startswith(("http://", "https://")):  # the fake also accepts plain HTTP
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.text("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = min(max(p.integer("max_connections") or 40, 1), 100)
    core.queue.set_allowed(p.json("allowed_updates"))
    if p.flag("drop_pending_updates"):
        core.queue.clear()
    core.state.webhook = WebhookConfig(url, secret, max_connections)
    core.deliverer.start(url, secret, max_connections)
    return True


async def delete_webhook(core: Core, p: Params) -> Any:
    core.state.webhook = WebhookConfig()
    await core.deliverer.stop()
    if p.flag("drop_pending_updates"):
        core.queue.clear()
    core.queue.wake(activity=False)
    return True


async def get_webhook_info(core: Core, p: Params) -> Any:
    hook = core.state.webhook
    info: dict[str, Any] = {
        "url": hook.url,
        "has_custom_certificate": False,
        "pending_update_count": core.queue.unconfirmed,
    }
    if hook.url:
        info["max_connections"] = hook.max_connections
        if core.queue.allowed_updates is not None:
            info["allowed_updates"] = sorted(core.queue.allowed_updates)
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    return info


async def answer_callback_query(core: Core, p: Params) -> Any:
    query_id = p.text("callback_query_id") or ""
    pending = core.state.callbacks.get(query_id)
    expired = (
        pending is not None
        and core.callback_ttl is not None
        and time.monotonic() - pending.created > core.callback_ttl
    )
    if pending is None or pending.answered or expired:
        raise bad_request(QUERY_TOO_OLD)
    text = p.text("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    pending.answered = True
    core.state.answered_callbacks.append(
        AnsweredCallback(
            query_id=query_id,
            user_id=pending.user_id,
            message_id=pending.message_id,
            data=pending.data,
            text=text,
            show_alert=p.flag("show_alert"),
            url=p.text("url"),
            cache_time=p.integer("cache_time"),
            at=time.time(),
        )
    )
    return True


def scope_key(scope: Any) -> str:
    """A readable key for a BotCommandScope: "default", "chat:42", "chat_member:42:7"…"""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope["type"]
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return str(kind)
    if kind in ("chat", "chat_administrators") and "chat_id" in scope:
        chat_id = scope["chat_id"]
        if isinstance(chat_id, bool) or not isinstance(chat_id, int | str):
            raise bad_request("can't parse BotCommandScope JSON object")
        if set(scope) != {"type", "chat_id"}:
            raise bad_request("can't parse BotCommandScope JSON object")
        return f"{kind}:{chat_id}"
    if kind == "chat_member" and "chat_id" in scope and "user_id" in scope:
        return f"chat_member:{scope['chat_id']}:{scope['user_id']}"
    raise bad_request("unsupported bot command scope type")


def _commands_key(p: Params) -> tuple[str, str]:
    language = p.text("language_code") or ""
    if language and not _LANGUAGE.fullmatch(language):
        raise bad_request("invalid language code specified")
    return scope_key(p.json("scope")), language


async def set_my_commands(core: Core, p: Params) -> Any:
    key = _commands_key(p)
    commands = p.json("commands") or []
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    kept: list[tuple[str, str]] = []
    for item in commands:
        command = item.get("command") if isinstance(item, dict) else None
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        kept.append((command, description))
    if kept:
        core.state.commands[key] = kept
    else:
        core.state.commands.pop(key, None)
    return True


async def get_my_commands(core: Core, p: Params) -> Any:
    stored = core.state.commands.get(_commands_key(p), [])
    return [{"command": command, "description": text} for command, text in stored]


async def delete_my_commands(core: Core, p: Params) -> Any:
    core.state.commands.pop(_commands_key(p), None)
    return True


async def accepted(core: Core, p: Params) -> Any:
    """Cosmetic methods a bot may call at startup: recorded in the transcript, nothing more."""
    return True


METHODS: dict[str, Callable[[Core, Params], Awaitable[Any]]] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "answerCallbackQuery": answer_callback_query,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": accepted,
    "setMyShortDescription": accepted,
    "setChatMenuButton": accepted,
    "logOut": accepted,
    "close": accepted,
}
