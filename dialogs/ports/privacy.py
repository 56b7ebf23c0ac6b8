"""Data rights: exports and erasure."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class PrivacyStore(Protocol):
    """Data rights: what is kept about a person or a collectivité, and its erasure.

    Exports are JSON-ready dicts (one list of rows per section, timestamps as ISO text). Erasure
    leaves a row without name, messaging id or language (`records.ERASED_CHANNEL`) so that the
    collectivité's records keep pointing somewhere: « un ancien membre ».
    """

    def export_person(self, user_id: int) -> dict[str, object]: ...

    def export_collectivite(self, collectivite_id: int) -> dict[str, object]: ...

    def erase_person(self, user_id: int, now: datetime, *, own_event: bool = False) -> None:
        """Delete the person's data (memberships, join requests, referent roles, their queued and
        past notifications, their name in others' pending ones), unassign their actions, and blank
        their user row. `own_event`: erased during their own event, whose conversation the service
        saves right after (its state is blanked by the caller, its version left alone); otherwise
        the conversation row goes too."""
        ...

    def delete_collectivite(self, collectivite_id: int, now: datetime) -> None:
        """Delete the collectivité and everything it owns: team, answers and their history, score
        snapshots, plan and its history, invitations, join requests, attachments, peer statistics."""
