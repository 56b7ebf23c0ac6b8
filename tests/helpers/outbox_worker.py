"""A dispatcher in its own process, for the kill -9 test: `python -m tests.helpers.outbox_worker`.

Sends one message at a time (concurrency 1) so that, when the process is killed while a send is on
the wire, every earlier message is already recorded as sent.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta

from bot.dispatcher import OutboxDispatcher
from storage import outbox
from storage.db import create_engine, session_factory
from tests.helpers.outbox_telegram import ptb_delivery


async def main(args: argparse.Namespace) -> int:
    engine = create_engine(args.db_url)
    sessions = session_factory(engine)
    try:
        async with ptb_delivery(args.base_url, args.token) as delivery:
            dispatcher = OutboxDispatcher(
                sessions,
                delivery,
                concurrency=1,
                lease=timedelta(seconds=args.lease),
                lease_margin=timedelta(seconds=0.2),
                poll_interval=0.1,
            )
            if not args.until_done:
                await dispatcher.run_forever()
                return 0
            while True:
                await dispatcher.run_once()
                with sessions() as session:
                    status = outbox.counts(session)
                if not status.get("pending") and not status.get("sending"):
                    return 0
                await asyncio.sleep(0.1)
    finally:
        engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db_url")
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("--lease", type=float, default=120.0)
    parser.add_argument("--until-done", action="store_true")
    raise SystemExit(asyncio.run(main(parser.parse_args())))
