"""Outbound replies: plain values each channel renders its own way."""

from __future__ import annotations

import base64
import html as _html
import re
from dataclasses import dataclass, field
from typing import Any

MAX_BUTTON_DATA_BYTES = 64  # Telegram's callback_data limit, the strictest channel


@dataclass(frozen=True)
class Button:
    """A button: either carries `data` back to the engine, or opens `url`."""

    label: str
    data: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_BUTTON_DATA_BYTES:
            raise ValueError(f"button data over {MAX_BUTTON_DATA_BYTES} bytes: {self.data!r}")


Keyboard = tuple[tuple[Button, ...], ...]


_TAG = re.compile(r"<[^<>]*>")


def plain_of(markup: str) -> str:
    """The text an HTML reply shows, for channels without formatting (tags dropped, unescaped)."""
    return _html.unescape(_TAG.sub("", markup))


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (Telegram sendDocument, Matrix m.file); the message text is its caption."""

    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class Reply:
    """One message. `edit=True` replaces the message that carried the pressed button.

    `text` is always plain. `html`, when set, is the same message with a little Telegram-style HTML
    (bold labels); channels that format use it, the others keep `text`, so the field is optional.
    """

    text: str
    buttons: Keyboard = ()
    edit: bool = False
    html: str = ""
    attachment: Attachment | None = None

    def to_json(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "text": self.text,
            "buttons": [
                [{"label": b.label, "data": b.data, "url": b.url} for b in row]
                for row in self.buttons
            ],
            "edit": self.edit,
        }
        if self.html:
            raw["html"] = self.html
        if self.attachment is not None:
            raw["attachment"] = {
                "filename": self.attachment.filename,
                "media_type": self.attachment.media_type,
                "content_b64": base64.b64encode(self.attachment.content).decode("ascii"),
            }
        return raw

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Reply:
        rows = tuple(
            tuple(Button(b["label"], b.get("data", ""), b.get("url", "")) for b in row)
            for row in raw.get("buttons", [])
        )
        found = raw.get("attachment")
        attachment = (
            Attachment(
                str(found["filename"]),
                str(found["media_type"]),
                base64.b64decode(found["content_b64"]),
            )
            if isinstance(found, dict)
            else None
        )
        return Reply(
            text=str(raw["text"]),
            buttons=rows,
            edit=bool(raw.get("edit", False)),
            html=str(raw.get("html", "")),
            attachment=attachment,
        )


@dataclass(frozen=True)
class Outcome:
    """What the engine decided for one event: replies to the speaker, an optional short toast."""

    replies: tuple[Reply, ...]
    toast: str | None = None
    handled: bool = True  # False when the event was a duplicate and nothing was done
    # A free-text prompt is open (a SIRET, a département, a date…): a typed number is an answer,
    # not a button's number (channels that number their buttons, like the terminal, read this).
    expects_text: bool = False
    # The speaker is a referent or a platform administrator: their command menu shows the staff
    # commands. None: not looked at (only commands and /start look, one query each).
    staff: bool | None = None


@dataclass
class ReplyBuffer:
    """Collects replies while a handler runs."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None

    def add(
        self, text: str, buttons: Keyboard = (), *, edit: bool = False, html: bool = False
    ) -> None:
        """`html=True`: `text` is HTML whose user-given parts the caller escaped (dialogs.ui.esc)."""
        if html:
            self.replies.append(Reply(plain_of(text), buttons, edit, text))
        else:
            self.replies.append(Reply(text, buttons, edit))
