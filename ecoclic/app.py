"""Wiring shared by the entry points: settings turned into the plain values each layer takes.

The channels (`bot/`) and the web summary (`web_summary/`) know nothing of `Settings`: they take
options, keys and URLs as arguments. This module is where settings become those arguments.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from dialogs.context import EngineConfig
from ecoclic.settings import Settings, TelegramMode
from referential.errors import ReferentialError
from referential.loader import default_referential
from referential.models import Referential

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy.orm import Session, sessionmaker

    from bot.telegram.flood import FloodControl
    from bot.telegram.options import TelegramOptions
    from web_summary.links import LinkSigner


class ConfigurationError(ValueError):
    """A setting makes the bot impossible to start; the message is for the operator (French)."""


def engine_config(settings: Settings) -> EngineConfig:
    """The bot's username is asked of Telegram (getMe) when a link needs it; `ecoclic serve` sets
    it when the bot starts."""
    from ecoclic.bot_identity import bot_username

    return EngineConfig(
        bot_username_lookup=partial(bot_username, settings),
        public_url=settings.public_url,
        platform_admins=frozenset(str(a) for a in settings.admins),
        timezone=settings.timezone,
        default_locale=settings.default_locale,
        retention_months=settings.retention_months,
    )


def _configured_key(settings: Settings) -> str | None:
    return settings.secret_key.get_secret_value() if settings.secret_key else None


def link_signer(settings: Settings, sessions: sessionmaker[Session]) -> LinkSigner:
    """The signer of web links (its key is `ECOCLIC_SECRET_KEY` or one kept in the database)."""
    from web_summary import links

    return links.link_signer(sessions, settings.public_url, _configured_key(settings))


def engine_config_with_links(settings: Settings, sessions: sessionmaker[Session]) -> EngineConfig:
    """The engine config plus the signer of /lien links."""
    signer = link_signer(settings, sessions)
    return replace(engine_config(settings), link_signer=signer.url)


def web_app(
    settings: Settings, sessions: sessionmaker[Session], referential: Referential
) -> FastAPI:
    from storage.db import read_sessions
    from web_summary.app import create_app

    return create_app(
        sessions=read_sessions(sessions),  # pages read without taking SQLite's write lock
        referential=referential,
        public_url=settings.public_url,
        secret_key=_configured_key(settings),
        timezone=settings.timezone,
    )


def telegram_options(settings: Settings) -> TelegramOptions:
    """The bot's options; `ConfigurationError` (in French) when the settings cannot work."""
    from bot.telegram.options import WEBHOOK_PATH, TelegramOptions

    if settings.telegram_token is None:
        raise ConfigurationError("ECOCLIC_TELEGRAM_TOKEN n’est pas défini.")
    token = settings.telegram_token.get_secret_value()
    bot_id, _, secret = token.partition(":")
    if not (bot_id.isascii() and bot_id.isdigit()) or not secret:
        raise ConfigurationError("ECOCLIC_TELEGRAM_TOKEN doit ressembler à 123456:ABC-def…")
    webhook = settings.telegram_mode is TelegramMode.WEBHOOK
    if webhook and settings.webhook_secret is None:
        raise ConfigurationError(
            "Le mode webhook exige ECOCLIC_WEBHOOK_SECRET (1 à 256 caractères A-Z a-z 0-9 _ -)."
        )
    return TelegramOptions(
        token=token,
        api_server=settings.telegram_api_server,
        webhook=webhook,
        webhook_url=settings.public_url + WEBHOOK_PATH,
        webhook_secret=settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else "",
    )


def telegram_flood(settings: Settings) -> FloodControl:
    from bot.telegram.flood import FloodControl

    return FloodControl(
        global_per_second=settings.telegram_flood_global,
        chat_rate=settings.telegram_flood_chat_rate,
        chat_burst=settings.telegram_flood_chat_burst,
    )


def load_referential_or_exit() -> Referential:
    try:
        return default_referential()
    except ReferentialError as exc:
        print(f"Référentiel invalide : {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
