"""Wiring shared by the entry points: settings → engine config, referential loading."""

from __future__ import annotations

import sys
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.context import EngineConfig
from ecoclic.settings import Settings
from referential.errors import ReferentialError
from referential.loader import default_referential
from referential.models import Referential


def engine_config(settings: Settings) -> EngineConfig:
    return EngineConfig(
        bot_username=settings.bot_username,
        public_url=settings.public_url,
        platform_admins=frozenset(str(a) for a in settings.admins),
        timezone=settings.timezone,
        default_locale=settings.default_locale,
    )


async def engine_config_with_links(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> EngineConfig:
    """The engine config plus the signer of /lien links (its key may live in the database)."""
    from web_summary.links import link_signer

    signer = await link_signer(settings, sessions)
    return replace(engine_config(settings), link_signer=signer.url)


def load_referential_or_exit() -> Referential:
    try:
        return default_referential()
    except ReferentialError as exc:
        print(f"Référentiel invalide : {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
