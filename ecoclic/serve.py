"""`ecoclic serve`: the web app always, the Telegram bot when a token is set, the Matrix (Tchap)
channel when its four variables are set (either, both or neither), background tasks.

Features plug their long-running jobs (outbox dispatcher, reminder scheduler…) into
`BACKGROUND_TASKS`: each is `async def task(ctx: ServeContext) -> None`, started once everything is
up. On shutdown `ctx.stopping` is set; a task still running `STOP_GRACE_SECONDS` later is cancelled.
SIGINT/SIGTERM stop gracefully: background tasks first (they may still need the bot to send), then
the bot (updates in progress finish), then the web server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ecoclic.cli import Runner
from ecoclic.settings import Settings, TelegramMode

if TYPE_CHECKING:  # the server's libraries are imported when it starts, not to build the CLI
    import uvicorn
    from fastapi import FastAPI
    from sqlalchemy.orm import Session, sessionmaker

    from bot.delivery import Delivery
    from bot.matrix.runtime import MatrixRuntime
    from bot.telegram.runtime import TelegramRuntime
    from ecoclic.service import ChatService
    from referential.models import Referential

log = logging.getLogger(__name__)


@dataclass
class ServeContext:
    """What a background task may use. `delivery` is Telegram's (None without it); `deliveries`
    holds every running channel's, by channel name (the outbox routes by it)."""

    settings: Settings
    sessions: sessionmaker[Session]
    referential: Referential
    service: ChatService
    app: FastAPI
    delivery: Delivery | None = None
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)


BackgroundTask = Callable[[ServeContext], Awaitable[None]]

# Long-running jobs started by `ecoclic serve`; feature modules append to this list at import.
BACKGROUND_TASKS: list[BackgroundTask] = []

# A thread woken by I/O (the event loop, a chat event's worker) waits for the GIL until the running
# thread gives it up: up to 5 ms by default, each time. A reminder tick renders in its thread for
# tens of seconds and every reply makes dozens of such hand-overs: 1 ms makes them cheap.
SWITCH_SECONDS = 0.001

STOP_GRACE_SECONDS = 5.0  # how long background tasks may take to stop once `stopping` is set

# Modules imported before serving so that they can register background tasks (one line each).
BACKGROUND_MODULES: tuple[str, ...] = ("ecoclic.reminders", "ecoclic.outbox", "ecoclic.maintenance")


def _server(app: FastAPI, host: str, port: int) -> uvicorn.Server:
    """uvicorn without its own signal capture: `serve` owns SIGINT/SIGTERM for an ordered stop."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Runner]:
    subparsers.add_parser(
        "serve",
        help="lancer la page web et les canaux configurés (Telegram, Matrix/Tchap)",
    )
    return {"serve": run}


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ecoclic.app import ConfigurationError, load_referential_or_exit
    from ecoclic.memory import limit_arenas

    limit_arenas()  # before any thread starts (see ecoclic.memory)
    sys.setswitchinterval(SWITCH_SECONDS)
    referential = load_referential_or_exit()
    try:
        asyncio.run(serve(settings, referential, freeze_heap=True))
    except ConfigurationError as exc:
        print(f"Configuration invalide : {exc}", file=sys.stderr)
        return 2
    return 0


async def serve(
    settings: Settings,
    referential: Referential,
    stop: asyncio.Event | None = None,
    *,
    freeze_heap: bool = False,
) -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM arrives). `freeze_heap`: see
    `freeze_startup_heap` (the command sets it; tests sharing their process with pytest do not)."""
    from bot.telegram.runtime import build_runtime
    from bot.telegram.webhook import webhook_router
    from ecoclic.app import engine_config_with_links, telegram_flood, telegram_options, web_app
    from ecoclic.service import ChatService
    from storage.database import SqlDatabase
    from storage.db import open_database
    from storage.inbox import SqlInbox

    for module in BACKGROUND_MODULES:
        importlib.import_module(module)
    stop = stop or asyncio.Event()
    telegram: TelegramRuntime | None = None
    options = telegram_options(settings) if settings.telegram_token else None
    matrix = _matrix_runtime(settings)
    # Start-up runs in the loop: nothing else is running yet.
    with open_database(settings.database_url) as sessions:
        config = engine_config_with_links(settings, sessions)
        service = ChatService(SqlDatabase(sessions), referential, config)
        try:
            app = web_app(settings, sessions, referential)
            if options is not None:
                flood = telegram_flood(settings)
                telegram = build_runtime(
                    settings.telegram_library, service, options, flood, SqlInbox(sessions)
                )
                if options.webhook:
                    app.include_router(webhook_router(telegram.feed, options.webhook_secret))
            ctx = ServeContext(settings, sessions, referential, service, app)
            with _signals(stop):
                await _run(ctx, telegram, stop, freeze_heap=freeze_heap, matrix=matrix(service))
        finally:
            await asyncio.to_thread(service.close)  # events in progress finish first


def _matrix_runtime(settings: Settings) -> Callable[[ChatService], MatrixRuntime | None]:
    """Check the Matrix settings before anything starts; build the channel once the service is."""
    from ecoclic.app import ConfigurationError

    if missing := settings.matrix_missing():
        raise ConfigurationError(f"Matrix : il manque {', '.join(missing)}")
    if not settings.matrix_enabled:
        return lambda _service: None
    from bot.matrix.client import EncryptionUnavailable, MatrixOptions
    from bot.matrix.runtime import MatrixRuntime

    assert settings.matrix_access_token is not None
    options = MatrixOptions(
        homeserver=str(settings.matrix_homeserver),
        user_id=str(settings.matrix_user_id),
        access_token=settings.matrix_access_token.get_secret_value(),
        device_id=str(settings.matrix_device_id),
        store=settings.matrix_store_path(),
        room_rate=settings.matrix_room_rate,
        room_burst=settings.matrix_room_burst,
        global_rate=settings.matrix_global_rate,
    )

    def build(service: ChatService) -> MatrixRuntime:
        try:
            return MatrixRuntime(service, options)
        except EncryptionUnavailable as exc:
            raise ConfigurationError(f"Matrix : {exc}") from exc

    return build


async def _run(
    ctx: ServeContext,
    telegram: TelegramRuntime | None,
    stop: asyncio.Event,
    *,
    freeze_heap: bool,
    matrix: MatrixRuntime | None = None,
) -> None:
    """Start the web server, then the bot, then the background tasks; stop in reverse order."""
    settings, service = ctx.settings, ctx.service
    server = _server(ctx.app, settings.web_host, settings.web_port)
    web = asyncio.create_task(server.serve(), name="web")
    while not server.started and not web.done():
        await asyncio.sleep(0.02)
    if web.done():
        await web  # raises if it could not bind
        return
    tasks: list[asyncio.Task[None]] = []
    try:
        if telegram is not None:
            await _start_bot(telegram)
            if telegram.username:
                service.config = replace(service.config, bot_username=telegram.username)
            ctx.delivery = telegram.delivery
            ctx.deliveries["telegram"] = telegram.delivery
            log.warning(
                "bot Telegram démarré (%s, %s)",
                telegram.library,
                "webhook" if settings.telegram_mode is TelegramMode.WEBHOOK else "long polling",
            )
        if matrix is not None:
            await _start_matrix(matrix)
            ctx.deliveries["matrix"] = matrix.delivery
            log.warning("canal Matrix démarré (%s)", matrix.options.user_id)
        tasks = [asyncio.create_task(_guarded(task, ctx)) for task in BACKGROUND_TASKS]
        if freeze_heap:
            freeze_startup_heap()
        log.warning("ecoclic serve : http://%s:%s", settings.web_host, settings.web_port)
        await _wait_first(stop, web)
    finally:
        ctx.stopping.set()  # background tasks get a moment to finish what they send
        if tasks:
            _done, late = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if matrix is not None:
            await matrix.stop()
        if telegram is not None:
            await telegram.stop()
        server.should_exit = True
        await asyncio.gather(web, return_exceptions=True)


def freeze_startup_heap() -> None:
    """Move everything built at start-up (referential, SQLAlchemy mappers, FastAPI routes,
    templates…) out of the garbage collector's sight. Those objects live as long as the process,
    yet every full collection walked them all: 100 ms and more, hitting one page in five of the
    OPSN dashboard at 36,000 collectivités. Collect first so that no garbage is frozen with them."""
    gc.collect()
    gc.freeze()


async def _start_bot(telegram: TelegramRuntime) -> None:
    """Start the bot; a refused token or an unreachable server is a configuration problem."""
    from bot.telegram.api import ApiError
    from ecoclic.app import ConfigurationError

    try:
        await telegram.start()
    except ApiError as exc:
        raise ConfigurationError(
            f"le serveur Bot API (ECOCLIC_TELEGRAM_API_SERVER) refuse ou ne répond pas : {exc}"
        ) from exc


async def _start_matrix(matrix: MatrixRuntime) -> None:
    """Start the Matrix channel; a refused token or an unreachable homeserver is a configuration
    problem."""
    from ecoclic.app import ConfigurationError

    try:
        await matrix.start()
    except (ConnectionError, OSError) as exc:
        await matrix.stop()
        raise ConfigurationError(
            f"le serveur Matrix (ECOCLIC_MATRIX_HOMESERVER) refuse ou ne répond pas : {exc}"
        ) from exc


async def _guarded(task: BackgroundTask, ctx: ServeContext) -> None:
    try:
        await task(ctx)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("background task %s crashed", getattr(task, "__name__", task))


async def _wait_first(stop: asyncio.Event, web: asyncio.Task[None]) -> None:
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({stopper, web}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()


@contextlib.contextmanager
def _signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
            installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
