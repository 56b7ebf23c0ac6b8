"""Connections for the tick's reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import SQLITE_BUSY_SECONDS

READER_CACHE_KIB = 256


@contextmanager
def readers(sessions: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """Sessions for the tick's reads, on connections of their own. On SQLite they never take the
    write lock (storage.db's sessions begin IMMEDIATE, as writers must): a tick reading a large
    table never makes a chat event wait. PostgreSQL readers block no writer: the same sessions."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        yield sessions
        return
    if bind.url.database in (None, "", ":memory:"):
        yield sessions  # a memory database exists on its one connection only
        return
    engine = sa_create_engine(
        bind.url,
        connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # each SELECT reads a snapshot and takes no lock
        dbapi_conn.execute("PRAGMA query_only=ON")
        # The tick scans once, in order: a large page cache only holds the serving process's
        # memory up (SQLite's default is 2 MB per connection); the OS caches the file anyway.
        dbapi_conn.execute(f"PRAGMA cache_size=-{READER_CACHE_KIB}")

    try:
        yield sessionmaker(engine, expire_on_commit=False)
    finally:
        engine.dispose()
