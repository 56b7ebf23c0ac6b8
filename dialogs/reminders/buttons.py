"""The reminders' button families (prefix "rm"), one class per action.

Wire strings are those reminders have always carried (the outbox holds some still unsent):
"rm:done|wip|snz|mute:<item id>" under a due-date reminder, "rm:menu", "rm:pause", "rm:resume",
"rm:day[:<0-4>]" and "rm:hour[:<h>]" in /rappels.
"""

from __future__ import annotations

from dialogs.callbacks import CallbackData


class Done(CallbackData, prefix="rm:done"):
    item_id: int


class InProgress(CallbackData, prefix="rm:wip"):
    item_id: int


class Snooze(CallbackData, prefix="rm:snz"):
    item_id: int


class Mute(CallbackData, prefix="rm:mute"):
    item_id: int


class SettingsMenu(CallbackData, prefix="rm:menu"):
    """The /rappels screen."""


class Pause(CallbackData, prefix="rm:pause"):
    pass


class Resume(CallbackData, prefix="rm:resume"):
    pass


class DigestDay(CallbackData, prefix="rm:day"):
    """Without a weekday: the choice of days; with one (0 = Monday): that choice."""

    weekday: int | None = None


class DigestHour(CallbackData, prefix="rm:hour"):
    """Without an hour: the choice of hours; with one: that choice."""

    hour: int | None = None


DueAction = Done | InProgress | Snooze | Mute

__all__ = [
    "DigestDay",
    "DigestHour",
    "Done",
    "DueAction",
    "InProgress",
    "Mute",
    "Pause",
    "Resume",
    "SettingsMenu",
    "Snooze",
]
