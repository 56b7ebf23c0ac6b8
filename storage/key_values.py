"""Small platform values kept in the database, created once and then shared by every process."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import KeyValue
from storage.transactions import run_transaction


def get_or_create(sessions: sessionmaker[Session], key: str, make: Callable[[], str]) -> str:
    """The stored value of `key`, or `make()` stored now. Two processes racing agree on one value:
    the loser's insert fails on the primary key, and its retry reads the winner's."""

    def read_or_insert(session: Session) -> str:
        value = session.scalar(select(KeyValue.value).where(KeyValue.key == key))
        if value is not None:
            return value
        candidate = make()
        session.add(KeyValue(key=key, value=candidate))
        session.flush()
        return candidate

    return run_transaction(sessions, read_or_insert)
