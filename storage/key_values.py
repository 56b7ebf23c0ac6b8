"""Small platform values kept in the database, created once and then shared by every process."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import KeyValue


async def get_or_create(
    sessions: async_sessionmaker[AsyncSession], key: str, make: Callable[[], str]
) -> str:
    """The stored value of `key`, or `make()` stored now. Two processes racing agree on one value:
    the loser's insert fails on the primary key and it reads the winner's."""
    for _attempt in range(2):
        async with sessions() as session:
            value = await session.scalar(select(KeyValue.value).where(KeyValue.key == key))
            if value is not None:
                return value
            candidate = make()
            session.add(KeyValue(key=key, value=candidate))
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
                continue
            return candidate
    raise RuntimeError(f"key value {key!r} could be neither read nor created")
