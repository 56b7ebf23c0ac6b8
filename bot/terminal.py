"""`ecoclic chat`: the whole assistant in a terminal, as one local user, on the embedded database.

Buttons are shown as numbered choices; typing the number or the button's text presses it, except
while a free-text question is open (the engine's `Outcome.expects_text`): then a number is the
answer (« 01 » is département 01, never button 1). Works with stdin piped from a file (one input per
line; end of file ends the session cleanly).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from bot.handler import ChatHandler
from dialogs.events import Event, EventKind, Sender, event_from_text
from dialogs.parsing import fold
from dialogs.replies import Button, Outcome

TERMINAL_SENDER = Sender(
    channel="terminal", external_id="local", chat_id="local", display_name="Vous"
)


class TerminalChannel:
    """Renders replies as text and maps typed choices back to the last buttons shown."""

    def __init__(
        self, service: ChatHandler, out: TextIO = sys.stdout, sender: Sender = TERMINAL_SENDER
    ) -> None:
        self.service = service
        self.out = out
        self.sender = sender
        self.buttons: list[Button] = []
        self.expects_text = False  # the last outcome opened a free-text prompt

    def _print(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def render(self, outcome: Outcome) -> None:
        self.expects_text = outcome.expects_text
        if outcome.toast and not outcome.replies:
            self._print(f"({outcome.toast})")
        for reply in outcome.replies:
            self._print(reply.text)
            flat = [button for row in reply.buttons for button in row]
            if flat:
                self.buttons = flat
                for number, button in enumerate(flat, 1):
                    target = f" → {button.url}" if button.url else ""
                    self._print(f"  [{number}] {button.label}{target}")
            self._print()

    def to_event(self, line: str) -> Event:
        text = line.strip()
        number = int(text) if text.isascii() and text.isdigit() else 0  # "²" is a digit to isdigit
        if 1 <= number <= len(self.buttons) and not self.expects_text:
            button = self.buttons[number - 1]
            if button.data:
                return Event.button(button.data)
        if not text.startswith("/"):
            folded = fold(text)
            for button in self.buttons:
                if button.data and folded and fold(button.label) == folded:
                    return Event.button(button.data)
        return event_from_text(text)

    async def send(self, line: str) -> Outcome:
        event = self.to_event(line)
        outcome = await self.service.handle(self.sender, event)
        self.render(outcome)
        if event.kind is EventKind.BUTTON and not outcome.replies and outcome.toast is None:
            self._print()
        return outcome

    async def run(self, lines: Iterable[str], *, interactive: bool) -> None:
        await self.send("/start")
        for line in lines:
            if not interactive:  # echo piped input, so the transcript reads like a conversation
                self._print(f"> {line.rstrip()}")
            if line.strip().lower() in {"/quit", "/quitter", "/exit"}:
                break
            await self.send(line)
        self._print("À bientôt !")
