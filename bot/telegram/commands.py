"""The command menu Telegram shows next to the input field, in French and English.

Command names stay the French ones in every language (the English aliases /help, /language… work
when typed, see dialogs.general); only the descriptions are translated. The no-language list is the
French one, for clients in any other language.
"""

from __future__ import annotations

from bot.telegram.api import BotApi
from dialogs.general import COMMAND_MENU
from dialogs.i18n import DEFAULT, SUPPORTED, translator


def command_menu(locale: str) -> list[tuple[str, str]]:
    tr = translator(locale)
    return [(name, tr.gettext(description)) for name, description in COMMAND_MENU]


async def register_commands(api: BotApi) -> None:
    """setMyCommands for the default scope: no language (French) plus one list per language."""
    await api.set_my_commands(command_menu(DEFAULT), None)
    for locale in SUPPORTED:
        await api.set_my_commands(command_menu(locale), locale)
