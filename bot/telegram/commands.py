"""The command menu Telegram shows next to the input field, in French and English.

Command names stay the French ones in every language (the English aliases /help, /language… work
when typed, see dialogs.general); only the descriptions are translated. The no-language list is the
French one, for clients in any other language.
"""

from __future__ import annotations

from bot.telegram.api import BotApi
from dialogs.general import COMMAND_MENU, STAFF_MENU
from dialogs.i18n import DEFAULT, SUPPORTED, normalize_locale, translator


def command_menu(locale: str, *, staff: bool = False) -> list[tuple[str, str]]:
    tr = translator(locale)
    entries = (*COMMAND_MENU[:-3], *STAFF_MENU, *COMMAND_MENU[-3:]) if staff else COMMAND_MENU
    return [(name, tr.gettext(description)) for name, description in entries]


async def register_staff_menu(api: BotApi, chat_id: int, language_code: str | None) -> None:
    """A referent's or administrator's chat gets the full menu, in their language: a chat scope
    wins over the language lists, so one list suffices."""
    await api.set_my_commands(
        command_menu(normalize_locale(language_code or DEFAULT), staff=True), None, chat_id
    )


async def drop_staff_menu(api: BotApi, chat_id: int) -> None:
    """Someone who is no longer a referent or an administrator: their chat's own menu goes, the
    default lists (without /collectivites and /admin) show again."""
    await api.delete_my_commands(chat_id)


async def register_commands(api: BotApi) -> None:
    """setMyCommands for the default scope: no language (French) plus one list per language."""
    await api.set_my_commands(command_menu(DEFAULT), None)
    for locale in SUPPORTED:
        await api.set_my_commands(command_menu(locale), locale)
