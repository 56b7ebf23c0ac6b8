"""The `ecoclic` command: chat in a terminal, serve the bot and the web page, manage data.

Start-up stays short because each command's module is imported only when that command runs:
`ecoclic --help` and `ecoclic chat` never load the web stack, the Telegram libraries or alembic.
The parser is built for the command named on the line (the others are listed with their help only).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecoclic.settings import Settings

Runner = Callable[[argparse.Namespace, "Settings"], int]


@dataclass(frozen=True)
class Command:
    """A subcommand: its one-line help and the module giving its parser and runner
    (`register(subparsers) -> dict[str, Runner]`); no module: defined in this file."""

    help: str
    module: str = ""


# One line per command, in the order `ecoclic --help` lists them.
COMMANDS: dict[str, Command] = {
    "chat": Command("discuter avec l’assistant dans le terminal"),
    "db": Command("base de données"),
    "referential": Command("valider ou exporter le référentiel de questions", "referential.cli"),
    "serve": Command(
        "lancer la page web et, si ECOCLIC_TELEGRAM_TOKEN est défini, le bot Telegram",
        "ecoclic.serve",
    ),
    "link": Command(
        "afficher un lien signé (24 h) vers une page de collectivité ou d’OPSN", "ecoclic.link"
    ),
    "reminders": Command("rappels du plan d’actions", "ecoclic.reminders"),
    "export": Command(
        "exporter le plan d’actions (CSV, ODS) ou la feuille de route (PDF)", "ecoclic.export"
    ),
    "admin": Command("administration de la plateforme (OPSN, référents)", "ecoclic.admin"),
}


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
    import asyncio
    from dataclasses import replace

    from bot.terminal import TerminalChannel
    from ecoclic.app import engine_config_with_links, load_referential_or_exit
    from ecoclic.service import ChatService
    from storage.database import SqlDatabase
    from storage.db import open_database

    referential = load_referential_or_exit()
    with open_database(settings.database_url) as sessions:
        # The terminal serves no page: /lien says `ecoclic serve` does.
        config = replace(engine_config_with_links(settings, sessions), page_served_apart=True)
        service = ChatService(SqlDatabase(sessions), referential, config)
        interactive = sys.stdin.isatty()
        channel = TerminalChannel(service)
        try:
            # Reading stdin is blocking; lines are few and the loop has nothing else to do.
            asyncio.run(channel.run(_stdin_lines(interactive), interactive=interactive))
        finally:
            service.close()
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import upgrade

    upgrade(settings.database_url)
    print("Base de données à jour.")
    return 0


def _register(
    name: str, sub: argparse._SubParsersAction[argparse.ArgumentParser]
) -> dict[str, Runner]:
    """The full parser of one command (importing its module), and its runner."""
    if name == "chat":
        sub.add_parser(name, help=COMMANDS[name].help)
        return {name: cmd_chat}
    if name == "db":
        db = sub.add_parser(name, help=COMMANDS[name].help)
        db.add_subparsers(dest="db_command", required=True).add_parser(
            "upgrade", help="appliquer les migrations"
        )
        return {name: cmd_db_upgrade}
    module = importlib.import_module(COMMANDS[name].module)
    if name == "referential":  # the referential package has its own CLI (`python -m referential`)
        module.add_parser(sub)
        return {name: lambda args, settings: module.run(args)}
    runners: dict[str, Runner] = module.register(sub)
    return runners


def build_parser(command: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, Runner]]:
    """The parser, complete for `command` (every other command is listed by its help only)."""
    parser = argparse.ArgumentParser(prog="ecoclic", description="Éco-clic Chat")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = parser.add_subparsers(dest="command", required=True)
    runners: dict[str, Runner] = {}
    for name, described in COMMANDS.items():
        if name == command:
            runners.update(_register(name, sub))
        else:
            sub.add_parser(name, help=described.help)
    return parser, runners


def command_in(argv: Sequence[str]) -> str | None:
    """The command named on the line: the first word that is not an option (the top-level
    options take no value)."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser, runners = build_parser(command_in(words))
    args = parser.parse_args(words)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    from ecoclic.settings import Settings

    try:
        settings = Settings()
    except Exception as exc:  # pydantic ValidationError: say which variable is wrong
        print(f"Configuration invalide : {exc}", file=sys.stderr)
        return 2
    try:
        return runners[args.command](args, settings)
    except BrokenPipeError:
        # The reader went away (`ecoclic chat | head -1`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
