"""The outbox dispatcher against the fake Bot API (flood limits on): once each, whatever happens."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.dispatcher import OutboxDispatcher
from bot.telegram.flood import FloodControl
from storage import outbox
from storage.db import create_engine, session_factory
from storage.models import User
from tests.helpers.db import POSTGRES_URL, fresh_database
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.outbox import seed_notifications
from tests.helpers.outbox_telegram import ptb_delivery

ROOT = Path(__file__).resolve().parents[2]
FIRST_CHAT = 5000


@pytest.fixture
def db(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(enforce_flood_limits=True) as server:  # Telegram's numbers
        yield server
    assert not server.internal_errors


def chats(count: int, fake: FakeBotApi) -> list[int]:
    ids = list(range(FIRST_CHAT, FIRST_CHAT + count))
    for chat in ids:
        fake.add_user(chat)
    return ids


def delivered(fake: FakeBotApi, chat_ids: list[int]) -> Counter[str]:
    """How many times each notification key reached Telegram."""
    return Counter(
        m.text.removeprefix("notification ") for chat in chat_ids for m in fake.messages(chat)
    )


def counts(db: sessionmaker[Session]) -> dict[str, int]:
    with db() as session:
        return outbox.counts(session)


async def deliver_all(
    dispatcher: OutboxDispatcher, db: sessionmaker[Session], timeout: float = 40.0
) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        await dispatcher.run_once()
        status = counts(db)
        if not status.get("pending") and not status.get("sending"):
            return status
        assert time.monotonic() < deadline, f"still undelivered after {timeout} s: {status}"
        await asyncio.sleep(0.05)


async def test_faults_on_20_percent_of_calls_still_deliver_each_once(
    db: sessionmaker[Session], fake: FakeBotApi
) -> None:
    ids = chats(30, fake)
    keys = seed_notifications(db, ids, per_chat=2)
    fake.fail_ratio(0.2, statuses=(429, 500), retry_after=1, seed=7)
    async with ptb_delivery(fake.base_url, fake.token) as delivery:
        dispatcher = OutboxDispatcher(db, delivery, backoff_base=0.05, concurrency=8)
        assert await deliver_all(dispatcher, db) == {"sent": 60}
    assert delivered(fake, ids) == Counter(keys)  # every key exactly once
    stats = fake.stats
    assert stats.injected_failures >= 6
    assert dispatcher.stats.rate_limited > 0 and dispatcher.stats.retried > 0
    assert dispatcher.stats.sent == 60 and dispatcher.stats.lost_leases == 0
    assert stats.flood_limited == 0  # our pacing kept within Telegram's limits


async def test_order_within_a_chat_survives_a_429(
    sessions: sessionmaker[Session], fake: FakeBotApi
) -> None:
    db = sessions  # backend-neutral logic: SQLite only, for time
    ids = chats(1, fake)
    keys = seed_notifications(db, ids, per_chat=5)
    fake.fail_next(1, status=429, retry_after=1, methods=["sendMessage"])
    async with ptb_delivery(fake.base_url, fake.token) as delivery:
        dispatcher = OutboxDispatcher(db, delivery, concurrency=4)
        assert await deliver_all(dispatcher, db) == {"sent": 5}
    assert [m.text.removeprefix("notification ") for m in fake.messages(ids[0])] == keys
    assert dispatcher.stats.rate_limited == 1


async def test_blocked_person_is_undeliverable_not_retried(
    sessions: sessionmaker[Session], fake: FakeBotApi
) -> None:
    db = sessions  # backend-neutral logic: SQLite only, for time
    ids = chats(2, fake)
    seed_notifications(db, ids)
    fake.block_chat(ids[0])
    async with ptb_delivery(fake.base_url, fake.token) as delivery:
        dispatcher = OutboxDispatcher(db, delivery)
        assert await deliver_all(dispatcher, db) == {"sent": 1, "undeliverable": 1}
        calls = len(fake.calls("sendMessage"))
        await dispatcher.run_once()
        assert len(fake.calls("sendMessage")) == calls  # never tried again
    with db() as session:
        flags = dict(session.execute(select(User.chat_id, User.unreachable)).all())
    assert flags == {str(ids[0]): True, str(ids[1]): False}


async def test_stopped_mid_batch_and_restarted_loses_and_repeats_nothing(
    db: sessionmaker[Session], fake: FakeBotApi
) -> None:
    ids = chats(30, fake)
    keys = seed_notifications(db, ids)
    fake.set_latency(0.05, methods=["sendMessage"])
    async with ptb_delivery(fake.base_url, fake.token) as delivery:
        for stop_after in (5, 15):
            dispatcher = OutboxDispatcher(db, delivery, concurrency=4)
            task = asyncio.create_task(dispatcher.run_forever())
            await fake.wait_for(lambda n=stop_after: sum(delivered(fake, ids).values()) >= n, 10)
            task.cancel()  # what `ecoclic serve` does on SIGTERM
            with pytest.raises(asyncio.CancelledError):
                await task
            status = counts(db)
            assert "sending" not in status, status  # claimed rows were given back
            assert status["sent"] == sum(delivered(fake, ids).values())
        dispatcher = OutboxDispatcher(db, delivery, concurrency=4)
        assert await deliver_all(dispatcher, db) == {"sent": 30}
    assert delivered(fake, ids) == Counter(keys)


async def test_killed_process_mid_batch_loses_and_repeats_nothing(
    sessions: sessionmaker[Session], sqlite_url: str, fake: FakeBotApi
) -> None:
    """SIGKILL while a send is on the wire: the rows it had claimed come back after the lease.

    SQLite only, for time: the lease SQL is checked on PostgreSQL in tests/storage/test_outbox.py.
    """
    db, db_url = sessions, sqlite_url
    ids = chats(12, fake)
    keys = seed_notifications(db, ids)
    fake.set_latency(0.3, methods=["sendMessage"])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "tests.helpers.outbox_worker",
        db_url,
        fake.base_url,
        fake.token,
    ]
    worker = await asyncio.create_subprocess_exec(*command, "--lease", "2", env=env, cwd=ROOT)
    try:
        # Kill while the 5th message is in flight: 4 are stored (and marked), the 5th is not.
        await fake.wait_for(
            lambda: sum(delivered(fake, ids).values()) == 4 and fake._core.in_flight > 0, 30
        )
        worker.send_signal(signal.SIGKILL)
    finally:
        await worker.wait()
    await fake.wait_idle(quiet=0.2)
    status = counts(db)
    assert status == {"sent": 4, "sending": 8}, status  # the claimed rest is stuck, leased
    fake.set_latency(0)
    restarted = await asyncio.create_subprocess_exec(
        *command, "--lease", "2", "--until-done", env=env, cwd=ROOT
    )
    assert await asyncio.wait_for(restarted.wait(), 40) == 0
    assert counts(db) == {"sent": 12}
    assert delivered(fake, ids) == Counter(keys)


@pytest.mark.skipif(not POSTGRES_URL, reason="ECOCLIC_TEST_POSTGRES_URL not set")
async def test_two_dispatchers_on_postgresql_share_without_duplicates(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    url = fresh_database("postgresql", str(tmp_path))
    assert url.startswith("postgresql+psycopg://")
    engines = [create_engine(url) for _ in range(3)]
    seeding, *mine = [session_factory(engine) for engine in engines]
    try:
        ids = chats(60, fake)
        keys = seed_notifications(seeding, ids, per_chat=2)
        fake.fail_ratio(0.1, statuses=(500,), seed=3)
        async with (
            ptb_delivery(fake.base_url, fake.token, FloodControl(global_per_second=15)) as one,
            ptb_delivery(fake.base_url, fake.token, FloodControl(global_per_second=15)) as two,
        ):
            dispatchers = [
                OutboxDispatcher(mine[0], one, batch_size=10, backoff_base=0.05),
                OutboxDispatcher(mine[1], two, batch_size=10, backoff_base=0.05),
            ]
            await asyncio.gather(*(deliver_all(d, seeding) for d in dispatchers))
        assert counts(seeding) == {"sent": 120}
        assert delivered(fake, ids) == Counter(keys)
        shares = [d.stats.sent for d in dispatchers]
        assert sum(shares) == 120 and min(shares) > 0, shares
        assert all(d.stats.lost_leases == 0 for d in dispatchers)
    finally:
        for engine in engines:
            engine.dispose()


def test_backoff_doubles_from_base_and_is_capped() -> None:
    dispatcher = OutboxDispatcher(None, None, backoff_base=2.0, backoff_cap=900.0)  # type: ignore[arg-type]
    assert [dispatcher.retry_delay(n) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 16.0]
    assert dispatcher.retry_delay(12) == 900.0


async def test_a_failing_database_pauses_the_dispatcher_without_killing_it(
    sessions: sessionmaker[Session], fake: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    ids = chats(3, fake)
    keys = seed_notifications(sessions, ids)
    with sessions() as session, session.begin():
        session.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
    async with ptb_delivery(fake.base_url, fake.token) as delivery:
        stop = asyncio.Event()
        dispatcher = OutboxDispatcher(sessions, delivery, poll_interval=0.02)
        task = asyncio.create_task(dispatcher.run_forever(stop))
        await fake.wait_for(lambda: "dispatch round failed (2 in a row)" in caplog.text, 10)
        with sessions() as session, session.begin():
            session.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))
        await fake.wait_for(lambda: sum(delivered(fake, ids).values()) == 3, 10)
        stop.set()
        await task
    assert delivered(fake, ids) == Counter(keys)
