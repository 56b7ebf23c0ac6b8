"""The action plan's button families (prefix "p"), one class per action.

Wire strings are those the plan has always sent (buttons already on phones keep working):
"p:l:<page>:<filters>" the list, "p:ft|fp|fs:<filters>" the filter pickers, and per item
"p:i|a|d|r|h|y|n|u:<item id>", "p:s:<item id>:<status code>", "p:am:<item id>:<user id or 0>",
"p:dd:<item id>:<due code>". Filters are `Filters.code()` ("GOV.p.o.m"), at most 40 characters.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from dialogs.callbacks import CallbackData, Text
from dialogs.records import ItemStatus

FiltersCode = Annotated[str, Text(max_len=40)]


class StatusCode(StrEnum):
    """One-letter status codes of button data (a status button must fit 64 bytes)."""

    A_FAIRE = "f"
    PLANIFIE = "p"
    EN_COURS = "c"
    REALISE = "r"
    NON_RETENU = "x"

    @property
    def status(self) -> ItemStatus:
        return ItemStatus[self.name]

    @staticmethod
    def of(status: ItemStatus) -> StatusCode:
        return StatusCode[status.name]


class DueCode(StrEnum):
    """Due-date picks: quick choices, "type a date", "remove the due date"."""

    END_OF_MONTH = "m"
    THREE_MONTHS = "3"
    SIX_MONTHS = "6"
    ONE_YEAR = "12"
    TYPED = "t"
    REMOVE = "x"


class PlanPage(CallbackData, prefix="p:l"):
    """A page of the list with its filters; "p:l" alone is the first page, default filters."""

    page: int = 0
    filters: FiltersCode = ""


class ThemePicker(CallbackData, prefix="p:ft"):
    filters: FiltersCode = ""


class PriorityPicker(CallbackData, prefix="p:fp"):
    filters: FiltersCode = ""


class StatusPicker(CallbackData, prefix="p:fs"):
    filters: FiltersCode = ""


class ItemButton(CallbackData, prefix="p:i"):
    """Open an item's card."""

    item_id: int


class SetStatus(CallbackData, prefix="p:s"):
    item_id: int
    code: StatusCode


class AssignPicker(CallbackData, prefix="p:a"):
    item_id: int


class Assign(CallbackData, prefix="p:am"):
    """Give the item to `user_id`; 0 means nobody."""

    item_id: int
    user_id: int


class DuePicker(CallbackData, prefix="p:d"):
    item_id: int


class SetDue(CallbackData, prefix="p:dd"):
    item_id: int
    code: DueCode


class Resources(CallbackData, prefix="p:r"):
    item_id: int


class History(CallbackData, prefix="p:h"):
    item_id: int


class ConfirmAnswer(CallbackData, prefix="p:y"):
    """« Oui, mettre à jour » (the answer) after an action was marked réalisé."""

    item_id: int


class KeepAnswer(CallbackData, prefix="p:n"):
    item_id: int


class Unmute(CallbackData, prefix="p:u"):
    item_id: int


ItemAction = (
    ItemButton
    | SetStatus
    | AssignPicker
    | Assign
    | DuePicker
    | SetDue
    | Resources
    | History
    | ConfirmAnswer
    | KeepAnswer
    | Unmute
)

__all__ = [
    "Assign",
    "AssignPicker",
    "ConfirmAnswer",
    "DueCode",
    "DuePicker",
    "History",
    "ItemAction",
    "ItemButton",
    "KeepAnswer",
    "PlanPage",
    "PriorityPicker",
    "Resources",
    "SetDue",
    "SetStatus",
    "StatusCode",
    "StatusPicker",
    "ThemePicker",
    "Unmute",
]
