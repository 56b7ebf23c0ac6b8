"""Drive whole conversations through the real service and engine, as a person would."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from dialogs.events import Event, Sender, event_from_text
from dialogs.parsing import fold
from dialogs.replies import Button, Outcome, Reply
from ecoclic.service import ChatService

_ids = count(1)


@dataclass
class ChatDriver:
    service: ChatService
    sender: Sender
    transcript: list[Reply] = field(default_factory=list)
    last: Outcome | None = None

    @staticmethod
    def for_user(
        service: ChatService, user: str = "u1", name: str = "Camille", language: str = "fr"
    ) -> ChatDriver:
        return ChatDriver(service, Sender("test", user, user, name, language))

    async def event(self, event: Event) -> Outcome:
        self.last = await self.service.handle(self.sender, event)
        self.transcript.extend(self.last.replies)
        return self.last

    async def say(self, text: str) -> Outcome:
        return await self.event(event_from_text(text, event_id=f"t:{next(_ids)}"))

    async def tap(self, data: str) -> Outcome:
        return await self.event(Event.button(data, event_id=f"t:{next(_ids)}"))

    def buttons(self) -> list[Button]:
        """Buttons of the newest reply that has any."""
        for reply in reversed(self.transcript):
            if reply.buttons:
                return [b for row in reply.buttons for b in row]
        return []

    async def press(self, label: str) -> Outcome:
        """Press the newest button whose label contains `label` (accent- and case-insensitive)."""
        wanted = fold(label)
        for button in self.buttons():
            if wanted in fold(button.label):
                return await self.tap(button.data)
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.buttons()]}")

    def text(self) -> str:
        """All texts of the last outcome, joined."""
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies) + (
            f"\n({self.last.toast})" if self.last.toast else ""
        )

    async def register(
        self,
        siret: str = "21310555400017",
        name: str = "Commune de Test",
        kind: str = "commune",
        dep: str = "31",
        population: str = "1200",
    ) -> None:
        await self.say("/start")
        await self.press("Inscrire")
        await self.say(siret)
        if "organisme public" in self.text():  # a SIREN not starting with 1 or 2: confirm it
            await self.press("Oui, continuer")
        await self.tap(f"ob:k:{kind}")
        await self.say(name)
        await self.say(dep)
        if "Lequel est le bon" in self.text():  # a commune's SIREN says another département
            await self.say(dep)
        await self.say(population)
        await self.press("Enregistrer")
