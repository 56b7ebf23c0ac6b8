"""Inbound events, as every channel hands them to the engine."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    START = "start"  # /start, with an optional deep-link payload
    TEXT = "text"  # free text typed by the user
    BUTTON = "button"  # a button press; `data` is the opaque payload the engine put on it
    COMMAND = "command"  # /name args
    UNSUPPORTED = "unsupported"  # a photo, a sticker, a voice note…
    EDITED = "edited"  # the user edited an earlier message (its new text is not read)


@dataclass(frozen=True)
class Sender:
    """Who is talking, on which channel. `chat_id` is where replies go."""

    channel: str
    external_id: str
    chat_id: str
    display_name: str = ""
    language_code: str | None = None


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str = ""  # typed text, or the command's arguments, or the start payload
    data: str = ""  # button payload
    command: str = ""  # command name without the slash, lower case
    message_ref: str | None = None  # channel id of the message carrying the pressed button
    event_id: str | None = None  # idempotency key (e.g. "tg:<bot id>:<update_id>")

    @staticmethod
    def start(payload: str = "", **kw: str | None) -> Event:
        return Event(EventKind.START, text=payload, command="start", **kw)  # type: ignore[arg-type]

    @staticmethod
    def typed(text: str, **kw: str | None) -> Event:
        return Event(EventKind.TEXT, text=text, **kw)  # type: ignore[arg-type]

    @staticmethod
    def button(data: str, **kw: str | None) -> Event:
        return Event(EventKind.BUTTON, data=data, **kw)  # type: ignore[arg-type]

    @staticmethod
    def cmd(name: str, args: str = "", **kw: str | None) -> Event:
        return Event(EventKind.COMMAND, command=name.lower(), text=args, **kw)  # type: ignore[arg-type]


def parse_command(text: str) -> tuple[str, str] | None:
    """Split "/name@bot args" into ("name", "args"); None when the text is not a command."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, args = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not all(c.isalnum() or c == "_" for c in name):
        return None
    return name, args.strip()


def event_from_text(text: str, **kw: str | None) -> Event:
    """What a channel does with a typed line: commands become COMMAND/START, the rest TEXT."""
    parsed = parse_command(text)
    if parsed is None:
        return Event.typed(text, **kw)
    name, args = parsed
    if name == "start":
        return Event.start(args, **kw)
    return Event.cmd(name, args, **kw)
