"""The FastAPI application: web summary pages, JSON API, health check (and the Telegram webhook route,
mounted by `ecoclic serve` when webhook mode is on)."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ecoclic.settings import Settings
from referential.models import Referential


def create_app(
    *,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    referential: Referential,
) -> FastAPI:
    """Build the app; nothing global, so tests and `ecoclic serve` each build their own."""
    app = FastAPI(title="Éco-clic Chat", version="0.1.0")
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.referential = referential

    @app.get("/health", tags=["monitoring"])
    async def health() -> dict[str, str]:
        """Liveness for monitoring: answers as long as the process serves requests."""
        return {"status": "ok"}

    return app
