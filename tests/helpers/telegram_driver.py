"""Drive a Telegram user through the fake Bot API and wait for the bot to finish each update.

`Processed` observes the bridge (`bridge.on_done`): a step returns once the bot has handled that
exact update_id, with no sleep. Without it (bot in another process) a step waits for a new message
with buttons (`until_keyboard`), or for a first visible effect and then a short quiet.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.telegram.bridge import Incoming
from tests.helpers.fake_bot_api import BotMessage, FakeBotApi


class Processed:
    """Update ids the bridge has finished handling, with how many times."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self._changed = asyncio.Event()

    def __call__(self, incoming: Incoming) -> None:
        self.counts[incoming.update_id] += 1
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait(self, update_id: int, times: int = 1, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while self.counts[update_id] < times:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"update {update_id} not handled {times}x in {timeout} s")
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue


@dataclass
class TelegramUser:
    fake: FakeBotApi
    user_id: int
    processed: Processed | None = None
    language_code: str = "fr"
    first_name: str = "Camille"
    callback_ids: list[str] = field(default_factory=list)  # every tap, to check it was answered
    # Without `processed`: a step is over when a new message with buttons arrives (scripts whose
    # every step ends with one), instead of "something changed, then a short quiet".
    until_keyboard: bool = False

    # -- acting ----------------------------------------------------------------------------
    async def handled(self, update: dict[str, Any], times: int = 1) -> list[BotMessage]:
        """Wait for the bot to handle `update`; return the bot messages it sent or edited."""
        before = self._snapshot()
        if self.processed is not None:
            await self.processed.wait(int(update["update_id"]), times)
        elif self.until_keyboard:  # the bot runs elsewhere; its answer ends with a keyboard
            newest = max((m for m, _ in before), default=0)

            def answered() -> bool:
                last = self.fake.last_message(self.user_id)
                return last is not None and last.message_id > newest and bool(last.buttons)

            await self.fake.wait_for(answered, timeout=30.0)
        else:  # the bot runs elsewhere: wait for a visible effect, then for the rest of it
            await self.fake.wait_for(lambda: self._snapshot() != before, timeout=20.0)
            await self.fake.wait_idle(quiet=0.05, timeout=20.0)
        return self._changed_since(before)

    def _snapshot(self) -> list[tuple[int, int]]:
        return [(m.message_id, m.edit_count) for m in self.messages()]

    def _changed_since(self, before: list[tuple[int, int]]) -> list[BotMessage]:
        """Messages that are new, or were edited, since the snapshot (oldest first)."""
        seen = dict(before)
        return [m for m in self.messages() if seen.get(m.message_id) != m.edit_count]

    async def say(self, text: str) -> list[BotMessage]:
        update = await self.fake.send_text(
            self.user_id, text, language_code=self.language_code, first_name=self.first_name
        )
        return await self.handled(update)

    async def tap(self, label: str) -> list[BotMessage]:
        return await self.handled(self._tapped(await self.fake.press_button(self.user_id, label)))

    async def tap_data(self, message_id: int, data: str) -> list[BotMessage]:
        return await self.handled(
            self._tapped(await self.fake.press(self.user_id, message_id, data))
        )

    def _tapped(self, update: dict[str, Any]) -> dict[str, Any]:
        self.callback_ids.append(str(update["callback_query"]["id"]))
        return update

    async def edit(self, update: dict[str, Any], text: str) -> list[BotMessage]:
        """Edit the message this user sent in `update` (from `fake.send_text`)."""
        message_id = int(update["message"]["message_id"])
        return await self.handled(await self.fake.edit_text(self.user_id, message_id, text))

    async def photo(self) -> list[BotMessage]:
        return await self.handled(await self.fake.send_photo_from_user(self.user_id))

    async def sticker(self) -> list[BotMessage]:
        return await self.handled(await self.fake.send_sticker(self.user_id))

    async def redeliver(self, update: dict[str, Any]) -> list[BotMessage]:
        """The same update_id again (webhook retry, restart before the offset was confirmed)."""
        before = self._snapshot()
        self.fake.redeliver(int(update["update_id"]))
        if self.processed is not None:
            await self.processed.wait(int(update["update_id"]), times=2)
        else:
            await self.fake.wait_idle(quiet=0.3, timeout=20.0)
        return self._changed_since(before)

    async def register(self, siret: str = "21310555400017", name: str = "Commune de Test") -> None:
        await self.say("/start")
        await self.tap("Inscrire ma collectivité")
        await self.say(siret)
        await self.tap("Commune")
        await self.say(name)
        await self.say("31")
        await self.say("1200")
        await self.tap("Enregistrer")

    # -- reading ---------------------------------------------------------------------------
    def messages(self) -> list[BotMessage]:
        return self.fake.messages(self.user_id)

    def texts(self, messages: list[BotMessage] | None = None) -> str:
        return "\n---\n".join(m.text for m in (self.messages() if messages is None else messages))

    def question(self) -> tuple[BotMessage, str] | None:
        """The question on screen: the newest message with buttons, if they are answer buttons."""
        for message in reversed(self.messages()):
            if not message.buttons:
                continue
            for row in message.buttons:
                for _label, data in row:
                    if data and data.startswith("a:"):
                        return message, data.split(":")[1]
            return None
        return None

    async def answer(self, value: str) -> list[BotMessage]:
        """Press the current question's button whose data ends with `:value`."""
        found = self.question()
        assert found is not None, "no question on screen:\n" + self.texts()[-2000:]
        message, qid = found
        return await self.tap_data(message.message_id, f"a:{qid}:{value}")
