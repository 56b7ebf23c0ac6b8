"""The action plan's button families (prefix "p"), one class per action.

Wire strings are those the plan has always sent (buttons already on phones keep working):
"p:l:<page>:<filters>" the list, "p:ft|fp|fs:<filters>" the filter pickers, and per item
"p:i|a|d|r|h|y|n|u:<item id>", "p:s:<item id>:<status code>", "p:am:<item id>:<user id or 0>",
"p:dd:<item id>:<due code>"; adding an own action: "p:na", then "p:nt|np|ns|nw|nd|ne|nk|nx:<draft>:…".
Filters are `Filters.code()` ("GOV.p.o.m"), at most 40 characters.
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


class AddStep(StrEnum):
    """The steps of adding an own action (« ➕ Ajouter une action »), in order."""

    TITLE = "t"
    THEME = "h"
    PRIORITY = "p"
    DETAILS = "d"
    ASSIGNEE = "a"
    DUE = "e"


class PriorityCode(StrEnum):
    """The referential's priorities in button data (an own action is given one of them)."""

    PRIORITAIRE = "p"
    NECESSAIRE = "n"
    RECOMMANDEE = "r"


ThemeId = Annotated[str, Text(max_len=16)]


class AddStart(CallbackData, prefix="p:na"):
    """« ➕ Ajouter une action »: start the guided flow (nothing stored until « Enregistrer »)."""


class AddTheme(CallbackData, prefix="p:nt"):
    """Every later button of the flow carries the draft's `draft` number: a button of an older
    draft, or of a draft already saved or cancelled, is stale."""

    draft: int
    theme: ThemeId


class AddPriority(CallbackData, prefix="p:np"):
    draft: int
    code: PriorityCode


class AddSkip(CallbackData, prefix="p:ns"):
    """« Passer » / « Plus tard » for an optional step."""

    draft: int
    step: AddStep


class AddAssignee(CallbackData, prefix="p:nw"):
    draft: int
    user_id: int


class AddDue(CallbackData, prefix="p:nd"):
    draft: int
    code: DueCode


class AddEdit(CallbackData, prefix="p:ne"):
    """Correct one field from the confirmation screen (`step` None: the list of fields)."""

    draft: int
    step: AddStep | None = None


class AddReview(CallbackData, prefix="p:nr"):
    """Back to the confirmation screen."""

    draft: int


class AddSave(CallbackData, prefix="p:nk"):
    draft: int


class AddCancel(CallbackData, prefix="p:nx"):
    draft: int


class OwnField(StrEnum):
    """What an administrator may rewrite in an own action."""

    TITLE = "t"
    DETAILS = "d"


class OwnEdit(CallbackData, prefix="p:oe"):
    """Rewrite an own action's title or description (`field` None: which one?)."""

    item_id: int
    field: OwnField | None = None


class OwnDelete(CallbackData, prefix="p:od"):
    """Delete an own action: `confirmed` False asks first."""

    item_id: int
    confirmed: bool = False


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
    | OwnEdit
    | OwnDelete
)

__all__ = [
    "AddAssignee",
    "AddCancel",
    "AddDue",
    "AddEdit",
    "AddPriority",
    "AddReview",
    "AddSave",
    "AddSkip",
    "AddStart",
    "AddStep",
    "AddTheme",
    "Assign",
    "AssignPicker",
    "ConfirmAnswer",
    "DueCode",
    "DuePicker",
    "History",
    "ItemAction",
    "ItemButton",
    "KeepAnswer",
    "OwnDelete",
    "OwnEdit",
    "OwnField",
    "PlanPage",
    "PriorityCode",
    "PriorityPicker",
    "Resources",
    "SetDue",
    "SetStatus",
    "StatusCode",
    "StatusPicker",
    "ThemeId",
    "ThemePicker",
    "Unmute",
]
