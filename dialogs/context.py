"""Everything a handler needs for one event, in one object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.i18n import Translator, locale_of, translator
from dialogs.ports import Store
from dialogs.records import MembershipInfo, UserInfo
from dialogs.replies import Keyboard, Reply, ReplyBuffer
from referential.models import Referential

# Makes a signed web-page link: (kind "c" collectivité | "o" OPSN, target id, role, user id) -> URL.
# Given by the entry point (web_summary.links), so the engine never touches keys or itsdangerous.
LinkSigner = Callable[[str, int, str, int | None], str]


@dataclass(frozen=True)
class EngineConfig:
    """The few settings the engine needs, passed in (the engine never reads the environment)."""

    # The bot's @username, from Telegram's getMe ("" unknown: links give way to `/start CODE`).
    bot_username: str = ""
    # Asked when a link is made and `bot_username` is empty (the command line asks getMe then).
    bot_username_lookup: Callable[[], str] | None = None
    public_url: str = "http://127.0.0.1:8000"
    platform_admins: frozenset[str] = frozenset()  # external ids of platform administrators
    timezone: str = "Europe/Paris"
    default_locale: str = "fr"
    link_signer: LinkSigner | None = None  # None: no web page on this installation (/lien says so)
    # The page /lien opens is served by another process (`ecoclic chat`: by `ecoclic serve`).
    page_served_apart: bool = False
    retention_months: int = 24  # inactive people are erased after this (Settings.retention_months)

    def telegram_username(self) -> str:
        """The bot's username for `t.me` links; "" when it cannot be known."""
        if self.bot_username or self.bot_username_lookup is None:
            return self.bot_username
        return self.bot_username_lookup()


@dataclass
class Ctx:
    """Per-event context. `state` is the user's conversation state, mutated in place and saved after."""

    ref: Referential
    store: Store
    user: UserInfo
    state: dict[str, Any]
    now: datetime
    config: EngineConfig = field(default_factory=EngineConfig)
    out: ReplyBuffer = field(default_factory=ReplyBuffer)
    _member: MembershipInfo | None = None
    _member_loaded: bool = False
    # The collectivité this event acted on when it is not the active one (a reminder's button):
    # the header of the replies names it (dialogs.engine).
    about: MembershipInfo | None = None

    @property
    def locale(self) -> str:
        return locale_of(self.user, self.config.default_locale)

    @property
    def tr(self) -> Translator:
        return translator(self.locale)

    def _(self, message: str) -> str:
        return self.tr.gettext(message)

    def say(
        self, text: str, buttons: Keyboard = (), *, edit: bool = False, html: bool = False
    ) -> None:
        """Reply; with `html=True` the text carries bold labels (escape anything user-given)."""
        self.out.add(text, buttons, edit=edit, html=html)

    def toast(self, text: str) -> None:
        self.out.toast = text

    def know_member(self, member: MembershipInfo | None) -> None:
        """The membership as read with the user at the start of the event (no query of its own)."""
        self._member, self._member_loaded = member, True

    def member(self, *, refresh: bool = False) -> MembershipInfo | None:
        """The speaker's collectivité membership (cached for the event)."""
        if refresh or not self._member_loaded:
            self._member = self.store.people.membership(self.user.id)
            self._member_loaded = True
        return self._member

    def notify(self, user_id: int, key: str, render: Callable[[Translator], Reply]) -> bool:
        """Queue a message for another user, rendered in that user's language, in this transaction."""
        target = self.store.people.user(user_id)
        if target is None:
            return False
        tr = translator(locale_of(target, self.config.default_locale))
        return self.store.outbox.enqueue(user_id, key, render(tr), self.now)
