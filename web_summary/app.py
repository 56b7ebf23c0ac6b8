"""The FastAPI application: web summary pages, JSON API, health check (and the Telegram webhook route,
mounted by `ecoclic serve` when webhook mode is on)."""

from __future__ import annotations

import asyncio
import logging
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from referential.models import Referential
from web_summary import documents, routes
from web_summary.access import Denied
from web_summary.rendering import content_security_policy, render

log = logging.getLogger(__name__)


class Headers:
    """Pure ASGI middleware: security headers on every response, `Cache-Control: no-store` unless
    a route says otherwise (pages carry private data behind a link), and `Server-Timing` (the
    time spent before the first byte, which the benchmark and monitoring read)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.fixed = [
            (b"content-security-policy", content_security_policy().encode()),
            (b"referrer-policy", b"no-referrer"),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"x-robots-tag", b"noindex, nofollow"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in self.fixed if h[0] not in names)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                elapsed = (time.perf_counter() - start) * 1000
                headers.append((b"server-timing", f"app;dur={elapsed:.2f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/openapi", "/health")) or path.endswith(".csv")


def create_app(
    *,
    sessions: sessionmaker[Session],
    referential: Referential,
    public_url: str,
    secret_key: str | None = None,
    timezone: str = "Europe/Paris",
) -> FastAPI:
    """Build the app; nothing global, so tests and `ecoclic serve` each build their own.

    `public_url` starts the links the pages make; `secret_key` signs them (None: the key kept in the
    database, see `links.secret_key`); dates are shown in `timezone`.
    """
    # No /docs nor /redoc: they load scripts from a CDN; the schema itself is at /openapi.json.
    app = FastAPI(
        title="Éco-clic Chat",
        version="0.1.0",
        description=(
            "Pages de synthèse et API JSON d’Éco-clic. Chaque adresse contient un lien signé, "
            "valable 24 heures, reçu dans la conversation (/lien) ou donné par `ecoclic link`."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.sessions = sessions
    app.state.public_url = public_url
    app.state.secret_key = secret_key
    app.state.timezone = timezone
    app.state.referential = referential
    app.state.signer = None
    app.state.signer_lock = asyncio.Lock()

    @app.get("/health", tags=["monitoring"])
    async def health() -> JSONResponse:
        """Liveness and database reachability, for monitoring (503 when the database is down)."""
        try:
            await run_in_threadpool(_ping, sessions)
        except Exception:
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    app.include_router(routes.router)
    app.include_router(documents.router)

    @app.exception_handler(Denied)
    async def denied(request: Request, exc: Denied) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.message}, status_code=403)
        return render("error.html", status_code=403, title="Accès refusé", message=exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        title, message = _http_texts(exc.status_code)
        return render("error.html", status_code=exc.status_code, title=title, message=message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("web page %s failed", request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "Erreur interne"}, status_code=500)
        title, message = _http_texts(500)
        return render("error.html", status_code=500, title=title, message=message)

    app.add_middleware(Headers)
    return app


def _ping(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        session.execute(text("SELECT 1"))


def _http_texts(status: int) -> tuple[str, str]:
    texts: dict[int, tuple[str, str]] = {
        404: (
            "Page introuvable",
            "Cette adresse ne mène à aucune page. Les pages d’Éco-clic s’ouvrent avec le lien "
            "reçu dans la conversation : tapez /lien pour en recevoir un.",
        ),
        405: ("Méthode non permise", "Cette page se consulte seulement."),
        500: (
            "Erreur du serveur",
            "Désolé, la page n’a pas pu être affichée. Réessayez dans un instant.",
        ),
    }
    default = ("Erreur", "La demande n’a pas pu aboutir.")
    return texts.get(status, default)


__all__ = ["create_app"]
