"""`BotApi` over either library's `Bot`, written once.

python-telegram-bot and aiogram both name the Bot API's methods and parameters after the Bot API
itself (and their types after the Bot API's types), so one class drives both; an adapter only gives
its types module and how its exceptions map onto those of `bot.telegram.api` (`Kit`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar, TypeVar

from bot.telegram.api import ApiError, BadRequest, Gone, is_gone
from bot.telegram.render import PARSE_MODE
from dialogs.replies import Attachment, Keyboard

T = TypeVar("T")
MAX_MARKUPS = 64  # keyboards remembered per bot (reminders carry one-off keyboards: keep it small)

# (library exception type(s), our error built from it), tried in order: subclasses first.
ErrorMap = tuple[
    tuple[type[Exception] | tuple[type[Exception], ...], Callable[[Any], ApiError]], ...
]


@dataclass(frozen=True)
class Kit:
    """What differs between the libraries: their types and exceptions."""

    button: Callable[..., Any]  # InlineKeyboardButton
    markup: Callable[..., Any]  # InlineKeyboardMarkup
    command: Callable[..., Any]  # BotCommand
    chat_scope: Callable[..., Any]  # BotCommandScopeChat
    no_preview: Any  # LinkPreviewOptions(is_disabled=True)
    errors: ErrorMap
    upload: Callable[[bytes, str], Any]  # (content, file name) -> the library's file to upload

    @classmethod
    def of(cls, types: ModuleType, errors: ErrorMap, upload: Callable[[bytes, str], Any]) -> Kit:
        """The kit of a library whose `types` module uses the Bot API's type names (both do)."""
        return cls(
            button=types.InlineKeyboardButton,
            markup=types.InlineKeyboardMarkup,
            command=types.BotCommand,
            chat_scope=types.BotCommandScopeChat,
            no_preview=types.LinkPreviewOptions(is_disabled=True),
            errors=errors,
            upload=upload,
        )


def described(kind: type[ApiError]) -> Callable[[Any], ApiError]:
    """Our error of `kind` with the library's text (both libraries' errors carry `.message`)."""
    return lambda exc: kind(str(exc.message))


def refused(exc: Any) -> ApiError:
    """A 400: `Gone` when Telegram says the chat or the person is gone, else `BadRequest`."""
    message = str(exc.message)
    return Gone(message) if is_gone(message) else BadRequest(message)


async def translated(call: Awaitable[T], errors: ErrorMap) -> T:
    """Await a library call, raising the channel's errors instead of the library's."""
    try:
        return await call
    except Exception as exc:
        for kind, make in errors:
            if isinstance(exc, kind):
                raise make(exc) from exc
        raise


class LibraryApi:
    """`api.BotApi` over a library `Bot`; each adapter subclasses it with its `kit`."""

    kit: ClassVar[Kit]

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self._markups: dict[Keyboard, Any] = {}

    def markup(self, keyboard: Keyboard) -> Any:
        """The library's keyboard object; the same keyboards come back all the time (a question's
        answers, « Suivant »…) and both libraries' objects are immutable: built once, reused."""
        if not keyboard:
            return None
        found = self._markups.get(keyboard)
        if found is None:
            if len(self._markups) >= MAX_MARKUPS:
                self._markups.clear()
            found = self._markups[keyboard] = self._build_markup(keyboard)
        return found

    async def call(self, call: Awaitable[T]) -> T:
        return await translated(call, self.kit.errors)

    @property
    def bot_id(self) -> int:
        return int(self.bot.id)

    def _build_markup(self, keyboard: Keyboard) -> Any:
        rows = [
            [
                self.kit.button(text=b.label, url=b.url)
                if b.url
                else self.kit.button(text=b.label, callback_data=b.data)
                for b in row
            ]
            for row in keyboard
        ]
        return self.kit.markup(inline_keyboard=rows)

    async def send_message(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        message = await self.call(
            self.bot.send_message(
                chat_id=chat_id,
                text=html,
                parse_mode=PARSE_MODE,
                reply_markup=self.markup(keyboard),
                link_preview_options=self.kit.no_preview,
            )
        )
        return int(message.message_id)

    async def send_document(
        self, chat_id: int, document: Attachment, caption: str, keyboard: Keyboard
    ) -> int:
        message = await self.call(
            self.bot.send_document(
                chat_id=chat_id,
                document=self.kit.upload(document.content, document.filename),
                caption=caption or None,
                parse_mode=PARSE_MODE,
                reply_markup=self.markup(keyboard),
            )
        )
        return int(message.message_id)

    async def edit_message_text(
        self, chat_id: int, message_id: int, html: str, keyboard: Keyboard
    ) -> None:
        await self.call(
            self.bot.edit_message_text(
                text=html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=PARSE_MODE,
                reply_markup=self.markup(keyboard),
                link_preview_options=self.kit.no_preview,
            )
        )

    async def answer_callback(self, callback_id: str, text: str = "") -> None:
        await self.call(
            self.bot.answer_callback_query(callback_query_id=callback_id, text=text or None)
        )

    async def set_my_commands(
        self, commands: list[tuple[str, str]], language_code: str | None, chat_id: int | None = None
    ) -> None:
        menu = [self.kit.command(command=name, description=text) for name, text in commands]
        scope = None if chat_id is None else self.kit.chat_scope(chat_id=chat_id)
        await self.call(
            self.bot.set_my_commands(commands=menu, scope=scope, language_code=language_code)
        )

    async def delete_my_commands(self, chat_id: int) -> None:
        await self.call(self.bot.delete_my_commands(scope=self.kit.chat_scope(chat_id=chat_id)))
