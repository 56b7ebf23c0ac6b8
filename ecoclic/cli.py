"""The `ecoclic` command: chat in a terminal, serve the bot and the web page, manage data."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Iterator

from ecoclic.settings import Settings

Runner = Callable[[argparse.Namespace, Settings], int]

# Modules adding subcommands (serve, admin, reminders, link…); one line each.
COMMAND_MODULES: tuple[str, ...] = (
    "ecoclic.serve",
    "ecoclic.link",
    "ecoclic.reminders",
    "ecoclic.admin",
)


def _stdin_lines(interactive: bool) -> Iterator[str]:
    while True:
        if interactive:
            try:
                line = input("> ")
            except EOFError:
                return
        else:
            line = sys.stdin.readline()
            if not line:
                return
        yield line


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal import TerminalChannel
    from ecoclic.app import engine_config_with_links, load_referential_or_exit
    from ecoclic.service import ChatService
    from storage.database import SqlDatabase
    from storage.db import open_database

    referential = load_referential_or_exit()

    async def main() -> None:
        async with open_database(settings.database_url) as sessions:
            config = await engine_config_with_links(settings, sessions)
            service = ChatService(SqlDatabase(sessions), referential, config)
            interactive = sys.stdin.isatty()
            channel = TerminalChannel(service)
            # Reading stdin is blocking; lines are few and the loop has nothing else to do.
            await channel.run(_stdin_lines(interactive), interactive=interactive)

    asyncio.run(main())
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import upgrade_sync

    upgrade_sync(settings.database_url)
    print("Base de données à jour.")
    return 0


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Runner]]:
    parser = argparse.ArgumentParser(prog="ecoclic", description="Éco-clic Chat")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = parser.add_subparsers(dest="command", required=True)
    runners: dict[str, Runner] = {}

    sub.add_parser("chat", help="discuter avec l’assistant dans le terminal")
    runners["chat"] = cmd_chat

    db = sub.add_parser("db", help="base de données")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="appliquer les migrations")
    runners["db"] = cmd_db_upgrade

    from referential import cli as referential_cli

    referential_cli.add_parser(sub)
    runners["referential"] = lambda args, settings: referential_cli.run(args)

    # Feature commands: each module has `register(subparsers) -> dict[str, Runner]`.
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        runners.update(module.register(sub))

    return parser, runners


def main(argv: list[str] | None = None) -> int:
    parser, runners = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        settings = Settings()
    except Exception as exc:  # pydantic ValidationError: say which variable is wrong
        print(f"Configuration invalide : {exc}", file=sys.stderr)
        return 2
    return runners[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
