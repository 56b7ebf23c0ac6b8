"""Engine replies → Matrix `m.notice` contents, and typed choices → the button they stand for.

Matrix has no inline keyboards: a reply's buttons become numbered lines of the plain body
(`1. Oui`), and link buttons a line `label : url`. The person types the number or the label; the
last keyboard shown in each room is remembered (`Choices`) so that the typed text becomes the
button's data, exactly as a Telegram press would: the engine never knows the difference. Every bot
message is an `m.notice` (other bots must not answer it), edits included (`m.replace`). Telegram
deep links have no Matrix equivalent: a `/start CODE` line to send to the bot is added under each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dialogs.events import Event, event_from_text
from dialogs.parsing import fold
from dialogs.replies import Button, Reply

CHANNEL = "matrix"
NOTICE = "m.notice"
CHOICES_KEY = "fr.ecoclic.choices"  # [[label, data], …] in our notices: keyboards survive a restart
EMPTY_TEXT = "…"
# A deep link, and the engine's "/start CODE" line beneath it if any (replaced by the Tchap one).
_DEEP_LINK = re.compile(
    r"(https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64}))(?:\n[^\n]*/start \2(?![\w-]))?"
)
_NUMBER = re.compile(r"[0-9]{1,3}")
_MARKS = re.compile(r"^\W+|\W+$")


def with_start_lines(text: str) -> str:
    """Each Telegram deep link is followed by the message to send on Matrix (Tchap) instead."""
    return _DEEP_LINK.sub(
        lambda m: f"{m.group(1)}\nSur Tchap, envoyez ce message au bot : /start {m.group(2)}", text
    )


def body(reply: Reply) -> str:
    """The plain text a person reads: the reply, then its choices, one per line."""
    lines = [with_start_lines(reply.text.strip()) or EMPTY_TEXT]
    choices = [b for row in reply.buttons for b in row]
    if choices:
        lines.append("")
    number = 0
    for button in choices:
        if button.url:
            lines.append(f"• {button.label} : {button.url}")
        else:
            number += 1
            lines.append(f"{number}. {button.label}")
    return "\n".join(lines)


def notice(reply: Reply) -> dict[str, Any]:
    """A new message's content; its choices also as data, read back after a restart (`recall`)."""
    content: dict[str, Any] = {"msgtype": NOTICE, "body": body(reply)}
    if buttons := data_buttons(reply):
        content[CHOICES_KEY] = [[b.label, b.data] for b in buttons]
    return content


def replacement(event_id: str, reply: Reply) -> dict[str, Any]:
    """The content editing `event_id` in place (clients without edits show the `* ` fallback)."""
    new = notice(reply)
    return {
        "msgtype": NOTICE,
        "body": "* " + new["body"],
        "m.new_content": new,
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    }


def data_buttons(reply: Reply) -> tuple[Button, ...]:
    """The buttons a person can choose by number, in the order they are listed."""
    return tuple(b for row in reply.buttons for b in row if b.data)


@dataclass(frozen=True)
class Keyboard:
    event_id: str  # the bot message listing the choices (edited when one is chosen)
    buttons: tuple[Button, ...]


class Choices:
    """The last keyboard shown in each room. Memory only: after a restart a typed number is plain
    text, and the engine answers it as it answers any unexpected text."""

    def __init__(self, limit: int = 50_000) -> None:
        self._rooms: dict[str, Keyboard] = {}
        self._limit = limit
        self._typing: set[str] = set()  # rooms where the engine waits for typed text

    def expect_text(self, room_id: str, expected: bool) -> None:
        """The engine asked for text (a département, a figure): a typed number is that text, not
        a button ("01" must never press « 1. Annuler »); a typed label still presses its button."""
        if expected:
            self._typing.add(room_id)
        else:
            self._typing.discard(room_id)

    def remember(self, room_id: str, event_id: str, reply: Reply) -> None:
        buttons = data_buttons(reply)
        if not buttons:
            return
        self._rooms.pop(room_id, None)  # re-inserted last: the oldest rooms are forgotten first
        self._rooms[room_id] = Keyboard(event_id, buttons)
        while len(self._rooms) > self._limit:
            del self._rooms[next(iter(self._rooms))]

    def knows(self, room_id: str) -> bool:
        return room_id in self._rooms

    def recall(self, room_id: str, history: list[tuple[str, dict[str, Any]]]) -> None:
        """After a restart: the newest keyboard among our own messages (event id, content), newest
        first; an edit's choices belong to the message it replaced."""
        for event_id, content in history:
            relates = content.get("m.relates_to") or {}
            new = content.get("m.new_content", content)
            choices = new.get(CHOICES_KEY) if isinstance(new, dict) else None
            if not isinstance(choices, list) or not choices:
                continue
            try:
                buttons = tuple(Button(str(label), str(data)) for label, data in choices)
            except (TypeError, ValueError):
                continue  # not ours after all
            self._rooms[room_id] = Keyboard(relates.get("event_id") or event_id, buttons)
            return

    def event(self, room_id: str, text: str, event_id: str) -> Event:
        """The engine event for a typed line: a chosen button, or a command, or plain text."""
        typed = text.strip()
        keyboard = self._rooms.get(room_id)
        if keyboard is not None and not typed.startswith("/"):
            numbers = room_id not in self._typing
            button = self._match(keyboard.buttons, typed, numbers=numbers)
            if button is not None:
                return Event.button(button.data, message_ref=keyboard.event_id, event_id=event_id)
        return event_from_text(typed, event_id=event_id)

    @staticmethod
    def _match(buttons: tuple[Button, ...], typed: str, *, numbers: bool = True) -> Button | None:
        candidate = typed.rstrip(".)").strip()
        if _NUMBER.fullmatch(candidate):
            if not numbers:
                return None
            number = int(candidate)
            return buttons[number - 1] if 1 <= number <= len(buttons) else None
        folded = _core(typed)
        if not folded:
            return None
        return next((b for b in buttons if _core(b.label) == folded), None)


def _core(label: str) -> str:
    """A label as typed: folded, without the marks around it ("✅ Oui" is "oui")."""
    return _MARKS.sub("", fold(label))
