"""The "pf" button family: /collectivite (switching the active collectivité, editing its profile).

Every button names the collectivité it is about: a button of a collectivité one has left, or of one
never joined, is refused, whatever is active.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs.callbacks import CallbackData
from dialogs.parsing import CollectiviteKind


class ProfileField(StrEnum):
    """What an administrator may change after registering (the SIRET never changes)."""

    NAME = "name"
    KIND = "kind"
    DEPARTEMENT = "dep"
    POPULATION = "pop"


class ProfileSwitch(CallbackData, prefix="pf:sw"):
    """Make that collectivité the active one."""

    collectivite_id: int


class ProfileEdit(CallbackData, prefix="pf:ed"):
    """Without a field: pick what to change; with one: ask for its new value."""

    collectivite_id: int
    field: ProfileField | None = None


class ProfileKind(CallbackData, prefix="pf:k"):
    """The new type, picked from the list."""

    collectivite_id: int
    kind: CollectiviteKind


class ProfileCancel(CallbackData, prefix="pf:no"):
    """Leave the profile as it is."""


__all__ = [
    "ProfileCancel",
    "ProfileEdit",
    "ProfileField",
    "ProfileKind",
    "ProfileSwitch",
]
