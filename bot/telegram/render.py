"""Engine replies → Telegram messages: HTML-escaped text in chunks Telegram accepts, keyboards.

Reply texts are plain text; we send them with parse_mode=HTML, so `<`, `>` and `&` must be escaped.
A reply may also carry its own HTML (`Reply.html`: bold labels, user parts escaped by the engine):
it is sent as is when it fits one message, else the plain text is cut as below.
Telegram caps a message at 4096 characters (counted in UTF-16 code units); a longer reply is cut at
paragraph boundaries, then lines, then spaces, and only the last chunk carries the keyboard, so the
buttons stay under the text they answer. A reply with a file is one document (sendDocument) whose
caption is the text when it fits Telegram's 1024 characters; a longer text goes first, as messages.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dialogs.replies import MAX_BUTTON_DATA_BYTES, Attachment, Keyboard, Reply

if TYPE_CHECKING:
    from bot.telegram.api import BotApi

PARSE_MODE = "HTML"
MAX_TEXT = 4096
MAX_CAPTION = 1024
EMPTY_TEXT = "…"  # Telegram refuses empty messages; a keyboard still needs some text
_SEPARATORS = ("\n\n", "\n", " ")


@dataclass(frozen=True)
class Chunk:
    """One Telegram message: HTML text and the inline keyboard under it (often none)."""

    html: str
    keyboard: Keyboard = ()
    document: Attachment | None = None  # sent with sendDocument, `html` as its caption


def escape(text: str) -> str:
    """Escape for parse_mode=HTML (quotes need no escaping outside attributes)."""
    return html.escape(text, quote=False)


def cost(text: str) -> int:
    """Length Telegram counts for `text` once escaped: UTF-16 code units of the escaped form."""
    return len(escape(text).encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut plain text into pieces whose escaped form fits `limit`, at the gentlest boundary."""
    text = text.strip()
    if cost(text) <= limit:
        return [text] if text else []
    separator = next((sep for sep in _SEPARATORS if sep in text), None)
    if separator is None:
        return _hard_cut(text, limit)
    chunks: list[str] = []
    current, current_cost = "", 0
    sep_cost = cost(separator)
    for part in text.split(separator):
        part_cost = cost(part)
        if current and current_cost + sep_cost + part_cost <= limit:
            current, current_cost = current + separator + part, current_cost + sep_cost + part_cost
            continue
        if current.strip():
            chunks.append(current.strip())
        if part_cost <= limit:
            current, current_cost = part, part_cost
        else:
            *done, current = split_text(part, limit) or [""]
            chunks.extend(done)
            current_cost = cost(current)
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    """A single word longer than a message: cut between characters."""
    chunks: list[str] = []
    start, used = 0, 0
    for index, char in enumerate(text):
        char_cost = cost(char)
        if used + char_cost > limit:
            chunks.append(text[start:index])
            start, used = index, 0
        used += char_cost
    chunks.append(text[start:])
    return [chunk for chunk in chunks if chunk]


def render(reply: Reply, limit: int = MAX_TEXT) -> list[Chunk]:
    """The messages for one reply; the keyboard goes on the last one."""
    check_keyboard(reply.buttons)
    if reply.attachment is not None:
        text = reply.text.strip()
        if cost(text) <= MAX_CAPTION:
            return [Chunk(escape(text), reply.buttons, reply.attachment)]
        texts = render(Reply(text, reply.buttons), limit)
        return [*texts, Chunk("", (), reply.attachment)]
    if reply.html and len(reply.html.encode("utf-16-le")) // 2 <= limit:
        return [Chunk(reply.html, reply.buttons)]
    pieces = split_text(reply.text, limit) or [EMPTY_TEXT]
    chunks = [Chunk(escape(piece)) for piece in pieces]
    chunks[-1] = Chunk(chunks[-1].html, reply.buttons)
    return chunks


def check_keyboard(keyboard: Keyboard) -> None:
    """Fail early (and loudly) on what Telegram would refuse: data over 64 bytes, no action."""
    for row in keyboard:
        for button in row:
            if not button.label.strip():
                raise ValueError("a button needs a label")
            if bool(button.url) == bool(button.data):
                raise ValueError(f"button {button.label!r} needs exactly one of data or url")
            if len(button.data.encode()) > MAX_BUTTON_DATA_BYTES:
                raise ValueError(f"callback_data over 64 bytes: {button.data!r}")


def keyboard_json(keyboard: Keyboard) -> dict[str, Any]:
    """The InlineKeyboardMarkup object, as the Bot API expects it."""
    return {
        "inline_keyboard": [
            [
                {"text": b.label, "url": b.url}
                if b.url
                else {"text": b.label, "callback_data": b.data}
                for b in row
            ]
            for row in keyboard
        ]
    }


async def send_chunk(api: BotApi, chat_id: int, chunk: Chunk) -> int:
    """Send one chunk: a message, or a document with its caption; return the message id."""
    if chunk.document is not None:
        return await api.send_document(chat_id, chunk.document, chunk.html, chunk.keyboard)
    return await api.send_message(chat_id, chunk.html, chunk.keyboard)
