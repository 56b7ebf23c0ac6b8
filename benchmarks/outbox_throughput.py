"""Outbox throughput: N notifications to N distinct chats through the fake Bot API, flood limits on.

The fake enforces Telegram's limits as documented in its faults module (30 sends in any 1 s window,
about 1/s per chat with a burst of 3) and answers 429 beyond them. The dispatcher runs with the
production defaults (`OutboxDispatcher` + the Telegram `FloodControl`, 2 % headroom under the global limit).
Prints sustained messages/s (first to last accepted send), its share of 30/s, the 429 received, and
checks that each notification arrived exactly once.

Run from the repository root: `python -m benchmarks.outbox_throughput --count 10000` (about 6 minutes;
--count 600 for a quick look). Short runs read high: the first second is a burst of 30.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from collections import Counter

from bot.dispatcher import OutboxDispatcher
from bot.telegram.flood import GLOBAL_PER_SECOND, HEADROOM, FloodControl
from storage import outbox
from storage.db import create_engine, session_factory, upgrade
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.outbox import seed_notifications
from tests.helpers.outbox_telegram import ptb_delivery

FIRST_CHAT = 10_000_000


async def run(count: int, url: str | None, concurrency: int, headroom: float) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        chats = list(range(FIRST_CHAT, FIRST_CHAT + count))
        try:
            async with FakeBotApi(enforce_flood_limits=True) as fake:
                for chat in chats:
                    fake.add_user(chat)
                keys = seed_notifications(sessions, chats)
                # Long-lived objects (libraries, the fake's state) leave the GC's scans: a full
                # collection otherwise stalls this one loop (fake and bot alike) for ~0.2 s at a time.
                gc.collect()
                gc.freeze()
                print(f"{count} notifications en file, envoi…", flush=True)
                flood = FloodControl(headroom=headroom)
                started = time.monotonic()
                async with ptb_delivery(fake.base_url, fake.token, flood) as delivery:
                    dispatcher = OutboxDispatcher(sessions, delivery, concurrency=concurrency)
                    while True:
                        await dispatcher.run_once()
                        with sessions() as session:
                            status = outbox.counts(session)
                        if not status.get("pending") and not status.get("sending"):
                            break
                        await asyncio.sleep(0.05)
                elapsed = time.monotonic() - started
                sends = [c for c in fake.calls("sendMessage") if c.status == 200]
                got = Counter(
                    m.text.removeprefix("notification ") for c in chats for m in fake.messages(c)
                )
                stats = fake.stats
        finally:
            engine.dispose()
    span = sends[-1].at - sends[0].at if len(sends) > 1 else 0.0
    rate = (len(sends) - 1) / span if span else 0.0
    duplicates = sum(n - 1 for n in got.values() if n > 1)
    missing = len(set(keys) - set(got))
    print(f"messages envoyés      : {len(sends)} en {span:.1f} s (total {elapsed:.1f} s)")
    print(
        f"débit soutenu         : {rate:.2f} messages/s = {100 * rate / GLOBAL_PER_SECOND:.1f} % "
        f"de {GLOBAL_PER_SECOND}/s"
    )
    print(f"429 reçus             : {stats.too_many_requests}")
    print(f"doublons / manquants  : {duplicates} / {missing}")
    print(f"statuts de l’outbox   : {status}")
    return 0 if not duplicates and not missing else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="par défaut : SQLite temporaire")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--flood-headroom",
        type=float,
        default=HEADROOM,
        help=f"marge de FloodControl sous les limites (production : {HEADROOM})",
    )
    args = parser.parse_args()
    return asyncio.run(run(args.count, args.database_url, args.concurrency, args.flood_headroom))


if __name__ == "__main__":
    raise SystemExit(main())
