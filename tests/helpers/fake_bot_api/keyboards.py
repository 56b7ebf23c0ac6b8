"""Reply-markup validation with Telegram's limits (64-byte callback_data, one action per button)."""

from __future__ import annotations

from typing import Any

from .errors import bad_request

MAX_CALLBACK_BYTES = 64
MAX_BUTTONS = 100

Buttons = tuple[tuple[tuple[str, str | None], ...], ...]

_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "login_url",
    "web_app",
    "callback_game",
    "pay",
    "copy_text",
)
_URL_SCHEMES = ("http://", "https://", "tg://")


def check_markup(markup: Any, *, inline_only: bool) -> dict[str, Any] | None:
    """Return the markup as Telegram keeps it, or raise the 400 Telegram would answer."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _check_inline(markup["inline_keyboard"])}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"])
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(rows: Any) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return rows


def _check_inline(rows: Any) -> list[list[dict[str, Any]]]:
    kept: list[list[dict[str, Any]]] = []
    for row in _rows(rows):
        kept_row: list[dict[str, Any]] = []
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: object expected")
            kept_row.append(_check_inline_button(button))
        if kept_row:
            kept.append(kept_row)
    return kept


def _check_inline_button(button: dict[str, Any]) -> dict[str, Any]:
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _ACTIONS if button.get(key) is not None]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request("can't parse inline keyboard button: only one action field is allowed")
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(_URL_SCHEMES)):
        raise bad_request("BUTTON_URL_INVALID")
    return {key: value for key, value in button.items() if value is not None}


def _check_reply_keyboard(rows: Any) -> None:
    for row in _rows(rows):
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse keyboard button: Text must be non-empty")


def buttons_of(markup: dict[str, Any] | None) -> Buttons:
    """Inline buttons as rows of (text, callback_data); URL buttons have None as data."""
    if not markup or "inline_keyboard" not in markup:
        return ()
    return tuple(
        tuple((button["text"], button.get("callback_data")) for button in row)
        for row in markup["inline_keyboard"]
    )
