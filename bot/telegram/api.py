"""The few Bot API calls the channel makes, behind one small interface both libraries implement.

Each adapter wraps its library's `Bot` in a `BotApi` and maps the library's exceptions to the errors
below, so flood control, retries, edit fallbacks and delivery errors are written once.
"""

from __future__ import annotations

from typing import Protocol

from dialogs.replies import Attachment, Keyboard


class ApiError(Exception):
    """A Bot API call failed; `description` is Telegram's text."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class FloodWait(ApiError):
    """429 Too Many Requests: wait `retry_after` seconds before the next call to this chat."""

    def __init__(self, retry_after: float, description: str = "") -> None:
        super().__init__(description or f"retry after {retry_after}s")
        self.retry_after = retry_after


class Transient(ApiError):
    """Timeouts, connection errors, 5xx: worth retrying with backoff."""


class Gone(ApiError):
    """403 (blocked, deactivated) or "chat not found": the person cannot be reached."""


class BadRequest(ApiError):
    """Any other 400: retrying the same call cannot help."""

    @property
    def not_modified(self) -> bool:
        return "message is not modified" in self.description.lower()


GONE_MARKERS = ("chat not found", "user not found", "bot was blocked", "user is deactivated")


def is_gone(description: str) -> bool:
    text = description.lower()
    return any(marker in text for marker in GONE_MARKERS)


class BotApi(Protocol):
    """What the Telegram channel needs from a Bot API client. Texts are HTML (parse_mode=HTML)."""

    @property
    def bot_id(self) -> int: ...

    async def send_message(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        """Send a message; return its message_id."""
        ...

    async def edit_message_text(
        self, chat_id: int, message_id: int, html: str, keyboard: Keyboard
    ) -> None:
        """Replace a message's text; an empty keyboard removes the buttons."""
        ...

    async def send_document(
        self, chat_id: int, document: Attachment, caption: str, keyboard: Keyboard
    ) -> int:
        """Upload a file (sendDocument) with an HTML caption; return its message_id."""
        ...

    async def answer_callback(self, callback_id: str, text: str = "") -> None: ...

    async def set_my_commands(
        self, commands: list[tuple[str, str]], language_code: str | None, chat_id: int | None = None
    ) -> None:
        """The menu of one language (None: any), or of one chat (BotCommandScopeChat)."""
        ...

    async def delete_my_commands(self, chat_id: int) -> None:
        """Drop one chat's own menu (BotCommandScopeChat): the default lists show again."""
        ...
