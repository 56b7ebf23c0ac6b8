"""Small builders shared by the storage contract tests (tests/storage/test_contract_*.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.events import Sender
from dialogs.ports import Transaction
from dialogs.records import NewCollectivite

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def sender(external_id: str = "1", name: str = "U", language: str | None = "fr") -> Sender:
    return Sender("test", external_id, external_id, name, language)


def person(tx: Transaction, external_id: str = "1", name: str = "U") -> int:
    """A user, made the way the service makes them."""
    return (tx.user_for(sender(external_id, name), NOW)).id


def new(
    siret: str = "21310555400017", population: int = 1200, name: str = "Test"
) -> NewCollectivite:
    return NewCollectivite(
        siret=siret, kind="commune", name=name, departement="31", population=population
    )


def collectivite(
    tx: Transaction, external_id: str = "1", siret: str = "21310555400017"
) -> tuple[int, int]:
    """A collectivité and its admin: (collectivité id, admin user id)."""
    admin = person(tx, external_id)
    created = tx.store.people.create_collectivite(new(siret), admin, NOW)
    return created.id, admin
