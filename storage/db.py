"""Engine, sessions and migrations: the one place that knows how to reach the database.

Everything here is synchronous: a unit of work runs in one worker thread from start to commit, with
no thread hop per statement (an async driver costs a hop for each cursor, execute, fetch and close).
Async callers hand a whole unit of work to a thread (`asyncio.to_thread`) once.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.sqlite_writers import queue_writers

if TYPE_CHECKING:  # the dialects load only when an upsert is first built (start-up time)
    from sqlalchemy.dialects import postgresql, sqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# URLs of the async drivers this project used before: still accepted, mapped to the sync ones.
_DRIVERS = {
    "sqlite+aiosqlite": "sqlite+pysqlite",
    "sqlite": "sqlite+pysqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}
READ_ONLY = "ecoclic_read_only"  # execution option of the sessions `read_sessions` makes
SQLITE_CACHE_KIB = 1024  # page cache per SQLite connection
SQLITE_BUSY_SECONDS = 30  # a writer waits this long for another one to commit before failing


def database_url(url: str) -> str:
    """The URL with its synchronous driver (`sqlite+aiosqlite://…` → `sqlite+pysqlite://…`)."""
    parsed = make_url(url)
    driver = _DRIVERS.get(parsed.drivername, parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> Engine:
    """The engine. SQLite gets WAL, foreign keys, a busy timeout, and `BEGIN IMMEDIATE` for
    transactions: a writer takes the write lock when it starts, so two writers queue on the busy
    timeout instead of failing at their first write (SQLite's deferred-transaction upgrade error);
    inside one process they queue on a lock first (storage.sqlite_writers)."""
    url = database_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = sa_create_engine(url, **kwargs)
    if is_sqlite(url):

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Each pooled connection keeps its own page cache (SQLite's default: up to 2 MB). One
            # `serve` process holds several (events, pages, dispatcher, tick, inbox): 1 MB each
            # keeps its memory down; what falls out is read again from the OS's file cache.
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            cursor.close()

        # BEGIN DEFERRED for read sessions; writers queue in the process, then BEGIN IMMEDIATE
        queue_writers(engine, lambda conn: conn.get_execution_options().get(READ_ONLY, False))

    return engine


def insert_or(session: Session, table: Any) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that takes `ON CONFLICT …` clauses, in the session's dialect (SQLite or PostgreSQL):
    one statement where a select-then-insert would take two."""
    from sqlalchemy.dialects import postgresql, sqlite

    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for units of work that mostly read (web pages): on SQLite they begin DEFERRED, so a
    page reads its WAL snapshot without taking the write lock and never makes a chat event wait.
    A rare write in them still works (the lock is taken then). Same engine, same pool."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        return sessions
    return sessionmaker(bind.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def alembic_config(url: str) -> Any:
    from alembic.config import Config  # alembic is imported only when a migration runs

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to `revision`; a no-op (and no alembic import) when it is there already."""
    if revision == "head" and _at_head(url):
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def _at_head(url: str) -> bool:
    """Whether the database's alembic revision is the newest one shipped (read without alembic)."""
    heads = {path.stem.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("0*.py")}
    newest = max(heads) if heads else None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "alembic_version"):
                return False
            current = {
                row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            }
    finally:
        engine.dispose()
    return newest is not None and current == {newest}


@contextmanager
def open_database(url: str, *, migrate: bool = True) -> Iterator[sessionmaker[Session]]:
    """Migrate (by default), yield a session factory, dispose of the engine at the end."""
    if migrate:
        upgrade(url)
    engine = create_engine(url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


class HeldConnection:
    """One connection kept checked out for the channel's tiny, frequent writes (an update into the
    inbox, a reply marked sent): a session from the pool costs 3–4× the statement itself.

    One caller at a time (a lock); each `begin()` is one transaction. A failed transaction drops
    the connection (the next one opens a new one), so a database restart costs one failed call.
    The connection goes back to the pool on `close()`, or when the owner is garbage collected."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self._lock:
            connection = self._connection
            if connection is None:
                connection = self._connection = self.engine.connect()
                self._finalizer = weakref.finalize(self, connection.close)
            try:
                with connection.begin():
                    yield connection
            except BaseException:
                self._drop()
                raise

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # closes the connection once, whoever asks first
        self._connection = self._finalizer = None
