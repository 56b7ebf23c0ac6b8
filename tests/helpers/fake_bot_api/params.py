"""Decode a Bot API request the way Telegram does, whatever the client's encoding.

PTB posts x-www-form-urlencoded with every non-string value JSON-encoded and uploads files as
multipart parts named after the parameter; aiogram does the same but puts `attach://<key>` in the
parameter and the file in part `<key>`; curl-style callers use a query string or a JSON body. All
of them end up as one dict of typed values, so handlers and the transcript never see the wire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from .errors import ApiError, bad_request

ATTACH = "attach://"

_INT_KEYS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "message_thread_id",
        "reply_to_message_id",
    }
)
_BOOL_KEYS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "allowed_updates",
        "reply_parameters",
        "media",
    }
)
_CHAT_KEYS = frozenset({"chat_id", "user_id"})


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, kept in memory for assertions."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:  # keep transcripts readable
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


async def read_request(request: web.Request) -> dict[str, Any]:
    """Merge query string and body into raw parameters, resolving uploaded files."""
    raw: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.body_exists:
        return raw
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise bad_request("can't parse JSON object") from exc
        if not isinstance(body, dict):
            raise bad_request("JSON object expected")
        raw.update({key: value for key, value in body.items() if value is not None})
        return raw
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge as exc:
        raise ApiError(413, "Request Entity Too Large") from exc
    except (ValueError, web.HTTPException, HttpProcessingError) as exc:  # malformed body
        raise bad_request(f"can't parse request body: {exc}") from exc
    parts: dict[str, UploadedFile] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            data = value.file.read()
            parts[key] = UploadedFile(value.filename or key, value.content_type, data)
        else:
            raw[key] = value if isinstance(value, str) else bytes(value).decode()
    for key, value in list(raw.items()):
        if isinstance(value, str) and value.startswith(ATTACH):
            part = parts.pop(value[len(ATTACH) :], None)
            if part is not None:
                raw[key] = part
    for key, part in parts.items():
        raw.setdefault(key, part)
    return raw


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Give every known parameter its Bot API type; unknown ones stay as sent."""
    return {key: _coerce(key, value) for key, value in raw.items()}


def _coerce(key: str, value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return value
    if key in _CHAT_KEYS:
        return _chat_id(key, value)
    if key in _INT_KEYS:
        return _int(key, value)
    if key in _BOOL_KEYS:
        return _bool(key, value)
    if key in _JSON_KEYS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {key} JSON object") from exc
    return value


def _int(key: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise bad_request(f"invalid {key} specified: integer expected")


def _chat_id(key: str, value: Any) -> int | str:
    if isinstance(value, str) and value.startswith("@"):
        return value
    return _int(key, value)


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0", ""):
        return False
    raise bad_request(f"invalid {key} specified: boolean expected")


class Params:
    """Typed, validated access to decoded parameters for method handlers."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def has(self, key: str) -> bool:
        return key in self.values

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise bad_request(f"{key} must be a string")

    def integer(self, key: str) -> int | None:
        value = self.values.get(key)
        return None if value is None else _int(key, value)

    def flag(self, key: str) -> bool:
        value = self.values.get(key)
        return False if value is None else _bool(key, value)

    def json(self, key: str) -> Any:
        return self.values.get(key)

    def chat_id(self) -> int:
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, str):  # "@username": channels only, which the fake has none of
            raise bad_request("chat not found")
        return _int("chat_id", value)

    def message_id(self) -> int:
        value = self.integer("message_id")
        if value is None:
            raise bad_request("message identifier is not specified")
        return value
