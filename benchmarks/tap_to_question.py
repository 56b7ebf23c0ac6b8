"""Time from an answer tap to the next question on Telegram, with the default per-chat pacing.

One user registers, then answers the whole level-1 questionnaire (always the answer that opens the
recommendation, the heaviest case) through the fake Bot API, the bot polling it with one library and
the production `FloodControl()` (about one message per second per chat, short bursts). Printed: the
median and 90th percentile from the tap to the moment the bot has sent the next question, for a user
who taps at once and for one who reads for `--think` seconds first.

Run: `python benchmarks/tap_to_question.py --library aiogram --think 1.5` (issue 17; not a test).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.telegram.flood import FloodControl  # noqa: E402
from bot.telegram.options import TelegramOptions  # noqa: E402
from bot.telegram.runtime import build_runtime  # noqa: E402
from dialogs.context import EngineConfig  # noqa: E402
from ecoclic.service import ChatService  # noqa: E402
from referential import default_referential  # noqa: E402
from tests.helpers.fake_bot_api import FakeBotApi  # noqa: E402
from tests.helpers.fake_store import FakeDatabase  # noqa: E402
from tests.helpers.telegram_driver import Processed, TelegramUser  # noqa: E402


async def run(library: str, think: float) -> list[float]:
    ref = default_referential()
    service = ChatService(FakeDatabase(), ref, EngineConfig())
    times: list[float] = []
    async with FakeBotApi(enforce_flood_limits=True) as fake:
        options = TelegramOptions(token=fake.token, api_server=fake.base_url, polling_timeout=1)
        runtime = build_runtime(library, service, options, FloodControl())
        processed = Processed()
        runtime.bridge.on_done.append(processed)
        await runtime.start()
        try:
            user = TelegramUser(fake, 4242, processed)
            await user.register()
            await asyncio.sleep(3)  # let the pacing bucket refill after the registration
            while (found := user.question()) is not None:
                q = ref.question(found[1])
                value = min(q.options, key=lambda o: o.credit).id if q.options else "non"
                started = time.monotonic()
                await user.answer(value)
                times.append(time.monotonic() - started)
                await asyncio.sleep(think)
        finally:
            await runtime.stop()
            service.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--library", choices=("ptb", "aiogram"), default="aiogram")
    parser.add_argument("--think", type=float, default=1.5, help="seconds a reader waits")
    args = parser.parse_args()
    for think in (0.0, args.think):
        times = sorted(asyncio.run(run(args.library, think)))
        print(
            f"{args.library} think={think:.1f}s answers={len(times)} "
            f"median={statistics.median(times):.2f}s p90={times[int(len(times) * 0.9)]:.2f}s"
        )


if __name__ == "__main__":
    main()
