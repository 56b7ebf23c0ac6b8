"""Run the fake standalone: `python -m tests.helpers.fake_bot_api --port 8081`.

Prints the base URL on stdout (first line, flushed) and serves until SIGINT/SIGTERM. Drive
simulated users through the `/__sim/*` routes (see control.py).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .server import DEFAULT_TOKEN, FakeBotApi


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.helpers.fake_bot_api")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="ecoclic_test_bot")
    parser.add_argument("--enforce-flood-limits", action="store_true")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeBotApi(
        args.token,
        args.username,
        host=args.host,
        port=args.port,
        enforce_flood_limits=args.enforce_flood_limits,
    )
    async with fake:
        print(fake.base_url, flush=True)
        print(
            f"token {fake.token}; PTB base_url {fake.ptb_base_url}; Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    asyncio.run(_serve(_arguments(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
