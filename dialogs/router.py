"""Routing tables: feature packages declare which commands, buttons, flows and deep links they handle.

Buttons are routed by type: `@router.button(ItemButton)` registers a handler that receives the parsed
`ItemButton`, never the raw string. The engine finds the family by the longest registered prefix and
unpacks it; malformed or forged data never reaches a handler (it gets the stale-button reply).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from dialogs.callbacks import SEPARATOR, BadCallbackData, CallbackData
from dialogs.context import Ctx
from dialogs.events import Event

Handler = Callable[[Ctx, Event], None]
D = TypeVar("D", bound=CallbackData)
D2 = TypeVar("D2", bound=CallbackData)
D3 = TypeVar("D3", bound=CallbackData)
ButtonHandler = Callable[[Ctx, Event, D], None]


@dataclass(frozen=True)
class ButtonRoute:
    family: type[CallbackData]
    handler: ButtonHandler[Any]


@dataclass
class Router:
    """One per feature package; the engine merges them (see dialogs.engine)."""

    commands: dict[str, Handler] = field(default_factory=dict)
    buttons: dict[str, ButtonRoute] = field(default_factory=dict)
    flows: dict[str, Handler] = field(default_factory=dict)
    deep_links: dict[str, Handler] = field(default_factory=dict)

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for name in names:
                _add(self.commands, name, handler)
            return handler

        return register

    @overload
    def button(self, a: type[D], /) -> Callable[[ButtonHandler[D]], ButtonHandler[D]]: ...

    @overload
    def button(
        self, a: type[D], b: type[D2], /
    ) -> Callable[[ButtonHandler[D | D2]], ButtonHandler[D | D2]]: ...

    @overload
    def button(
        self, a: type[D], b: type[D2], c: type[D3], /
    ) -> Callable[[ButtonHandler[D | D2 | D3]], ButtonHandler[D | D2 | D3]]: ...

    def button(self, *families: type[CallbackData]) -> Callable[[Any], Any]:
        """The handler receives the unpacked button data of one of these families."""

        def register(handler: ButtonHandler[Any]) -> ButtonHandler[Any]:
            for family in families:
                _add(self.buttons, family.__prefix__, ButtonRoute(family, handler))
            return handler

        return register

    def flow(self, *names: str) -> Callable[[Handler], Handler]:
        """Typed text while the conversation is in one of these flows."""

        def register(handler: Handler) -> Handler:
            for name in names:
                _add(self.flows, name, handler)
            return handler

        return register

    def deep_link(self, *prefixes: str) -> Callable[[Handler], Handler]:
        """`/start <payload>` whose payload starts with one of these prefixes."""

        def register(handler: Handler) -> Handler:
            for prefix in prefixes:
                _add(self.deep_links, prefix, handler)
            return handler

        return register

    def include(self, other: Router) -> None:
        for mine, theirs in (
            (self.commands, other.commands),
            (self.buttons, other.buttons),
            (self.flows, other.flows),
            (self.deep_links, other.deep_links),
        ):
            for key, value in theirs.items():
                _add(mine, key, value)

    def resolve_button(self, data: str) -> tuple[ButtonRoute, CallbackData] | None:
        """The route and parsed value of button data; None when stale, unknown or forged."""
        parts = data.split(SEPARATOR)
        for length in range(len(parts), 0, -1):
            route = self.buttons.get(SEPARATOR.join(parts[:length]))
            if route is None:
                continue
            try:
                return route, route.family.unpack(data)
            except BadCallbackData:
                return None
        return None


def _add(table: dict[str, Any], key: str, value: Any) -> None:
    if key in table and table[key] != value:
        raise ValueError(f"route registered twice: {key!r}")
    table[key] = value
