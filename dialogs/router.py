"""Routing tables: feature modules declare which commands, buttons, flows and deep links they handle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from dialogs.context import Ctx
from dialogs.events import Event

Handler = Callable[[Ctx, Event], Awaitable[None]]


@dataclass
class Router:
    """One per feature module; the engine merges them (see dialogs.engine.ROUTERS)."""

    commands: dict[str, Handler] = field(default_factory=dict)
    buttons: dict[str, Handler] = field(default_factory=dict)
    flows: dict[str, Handler] = field(default_factory=dict)
    deep_links: dict[str, Handler] = field(default_factory=dict)

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for name in names:
                self.commands[name] = handler
            return handler

        return register

    def button(self, *prefixes: str) -> Callable[[Handler], Handler]:
        """Button data is "prefix:arg:arg…"; the prefix picks the handler."""

        def register(handler: Handler) -> Handler:
            for prefix in prefixes:
                self.buttons[prefix] = handler
            return handler

        return register

    def flow(self, *names: str) -> Callable[[Handler], Handler]:
        """Typed text while the conversation is in one of these flows."""

        def register(handler: Handler) -> Handler:
            for name in names:
                self.flows[name] = handler
            return handler

        return register

    def deep_link(self, *prefixes: str) -> Callable[[Handler], Handler]:
        """`/start <payload>` whose payload starts with one of these prefixes."""

        def register(handler: Handler) -> Handler:
            for prefix in prefixes:
                self.deep_links[prefix] = handler
            return handler

        return register

    def include(self, other: Router) -> None:
        for mine, theirs in (
            (self.commands, other.commands),
            (self.buttons, other.buttons),
            (self.flows, other.flows),
            (self.deep_links, other.deep_links),
        ):
            clash = set(mine) & set(theirs)
            if clash:
                raise ValueError(f"route registered twice: {sorted(clash)}")
            mine.update(theirs)


def button_args(data: str) -> list[str]:
    """ "a:GOV-01:oui" -> ["GOV-01", "oui"] (the prefix dropped)."""
    return data.split(":")[1:]
