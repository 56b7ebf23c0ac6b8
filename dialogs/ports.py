"""What the engine needs from the outside world, as protocols and plain values.

Storage implements `Store` inside one database transaction per event; the engine never sees SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dialogs.replies import Reply


@dataclass(frozen=True)
class UserInfo:
    id: int
    channel: str
    external_id: str
    chat_id: str
    display_name: str
    locale: str | None  # explicit choice made with /langue
    language_code: str | None  # what the channel says


@dataclass(frozen=True)
class CollectiviteInfo:
    id: int
    siret: str
    kind: str
    name: str
    departement: str
    population: int
    level2_enabled: bool = False


@dataclass(frozen=True)
class MembershipInfo:
    collectivite: CollectiviteInfo
    role: str  # "admin" | "member"
    function_label: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class NewCollectivite:
    siret: str
    kind: str
    name: str
    departement: str
    population: int


@dataclass(frozen=True)
class ScoreRecord:
    index: int
    grade: str
    answered: int
    total: int


class Store(Protocol):
    """Reads and writes of one event, all in one transaction (committed by the caller)."""

    async def membership(self, user_id: int) -> MembershipInfo | None: ...

    async def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None: ...

    async def create_collectivite(
        self, new: NewCollectivite, admin_user_id: int, now: datetime
    ) -> CollectiviteInfo: ...

    async def answers(self, collectivite_id: int) -> dict[str, str]: ...

    async def set_answer(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        """Store (or clear, with None) an answer and log it; False when nothing changed."""
        ...

    async def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None: ...

    async def request_join(
        self, collectivite_id: int, user_id: int, now: datetime
    ) -> tuple[int, bool]:
        """Create (or find) the pending join request; returns (request id, created)."""
        ...

    async def admin_ids(self, collectivite_id: int) -> list[int]: ...

    async def set_locale(self, user_id: int, locale: str | None) -> None: ...

    async def user(self, user_id: int) -> UserInfo | None: ...

    async def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        """Write a message for another user into the outbox; False if that key exists already."""
        ...


AnswerMap = Mapping[str, str]
