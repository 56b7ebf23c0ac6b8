"""Outbound replies: plain values each channel renders its own way."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Reply:
    """One message. `edit=True` replaces the message that carried the pressed button."""

    text: str
    buttons: Keyboard = ()
    edit: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [
                [{"label": b.label, "data": b.data, "url": b.url} for b in row]
                for row in self.buttons
            ],
            "edit": self.edit,
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Reply:
        rows = tuple(
            tuple(Button(b["label"], b.get("data", ""), b.get("url", "")) for b in row)
            for row in raw.get("buttons", [])
        )
        return Reply(text=str(raw["text"]), buttons=rows, edit=bool(raw.get("edit", False)))


@dataclass(frozen=True)
class Outcome:
    """What the engine decided for one event: replies to the speaker, an optional short toast."""

    replies: tuple[Reply, ...]
    toast: str | None = None
    handled: bool = True  # False when the event was a duplicate and nothing was done


@dataclass
class ReplyBuffer:
    """Collects replies while a handler runs."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None

    def add(self, text: str, buttons: Keyboard = (), *, edit: bool = False) -> None:
        self.replies.append(Reply(text, buttons, edit))
