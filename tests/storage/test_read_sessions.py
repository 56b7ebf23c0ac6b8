"""SQLite: pages read through `read_sessions` without waiting for a writer's lock."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from storage.db import create_engine, read_sessions, session_factory, upgrade


def test_a_page_reads_while_a_chat_event_holds_the_write_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    engine = create_engine(url)
    writers = session_factory(engine)
    readers = read_sessions(writers)
    with writers() as session, session.begin():
        session.execute(text("CREATE TABLE probe (x INTEGER)"))
        session.execute(text("INSERT INTO probe VALUES (1)"))

    locked, read_done = threading.Event(), threading.Event()

    def chat_event() -> None:
        with writers() as session, session.begin():  # BEGIN IMMEDIATE: holds the write lock
            session.execute(text("INSERT INTO probe VALUES (2)"))
            locked.set()
            read_done.wait(timeout=10)  # released only once the page has read

    writer = threading.Thread(target=chat_event)
    writer.start()
    assert locked.wait(timeout=10)
    with readers() as session, session.begin():
        seen = session.execute(text("SELECT count(*) FROM probe")).scalar_one()
    read_done.set()
    writer.join()
    engine.dispose()
    assert seen == 1  # the committed snapshot, without waiting for the writer
