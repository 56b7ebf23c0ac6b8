"""SQLite: writers of one process take turns on a lock, whatever ends their transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from storage.db import create_engine, read_sessions, session_factory
from storage.sqlite_writers import HELD


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe (x INTEGER)"))
    yield engine
    engine.dispose()


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM probe")).scalar_one())


def test_concurrent_writers_all_commit(engine: Engine) -> None:
    sessions = session_factory(engine)

    def write(n: int) -> None:
        for i in range(20):
            with sessions() as session, session.begin():
                session.execute(text("INSERT INTO probe VALUES (:x)"), {"x": n * 100 + i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert _count(engine) == 80


def test_a_failed_transaction_hands_the_turn_on(engine: Engine) -> None:
    sessions = session_factory(engine)
    with pytest.raises(ZeroDivisionError), sessions() as session, session.begin():
        session.execute(text("INSERT INTO probe VALUES (1)"))
        raise ZeroDivisionError
    done = threading.Event()

    def write() -> None:
        with sessions() as session, session.begin():
            session.execute(text("INSERT INTO probe VALUES (2)"))
        done.set()

    threading.Thread(target=write).start()
    assert done.wait(timeout=5)
    assert _count(engine) == 1  # the failed one rolled back, the next one went in


def test_a_connection_back_in_the_pool_holds_no_turn(engine: Engine) -> None:
    conn = engine.connect()
    conn.begin()
    conn.execute(text("INSERT INTO probe VALUES (1)"))
    assert conn.info.get(HELD)
    conn.close()  # never committed: the pool rolls it back
    with engine.begin() as other:
        other.execute(text("INSERT INTO probe VALUES (2)"))
    assert _count(engine) == 1


def test_a_reader_takes_no_turn(engine: Engine) -> None:
    writers = session_factory(engine)
    readers = read_sessions(writers)
    with writers() as writing, writing.begin():
        writing.execute(text("INSERT INTO probe VALUES (1)"))
        with readers() as reading, reading.begin():
            assert reading.execute(text("SELECT count(*) FROM probe")).scalar_one() == 0
            assert not reading.connection().info.get(HELD)
