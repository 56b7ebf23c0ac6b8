"""FakeBotApi: the HTTP server on 127.0.0.1 that real PTB and aiogram clients talk to."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from aiohttp import web

from .control import add_control_routes
from .core import Core, lookup
from .errors import ApiError
from .faults import FloodLimiter
from .inspection import Inspection
from .media import MAX_DOCUMENT_BYTES
from .params import Params, decode_params, read_request
from .records import Call
from .simulate import SimulatedUsers

DEFAULT_TOKEN = "123456:TEST-token"
_log = logging.getLogger(__name__)


class FakeBotApi(SimulatedUsers, Inspection):
    """A Telegram Bot API look-alike for tests and benchmarks.

    `async with FakeBotApi() as fake:` serves on a free port; point PTB at `fake.ptb_base_url`
    and aiogram at `TelegramAPIServer.from_base(fake.base_url)`. Unknown chats are refused with
    "chat not found" until the user wrote to the bot (`send_text`) or was added (`add_user`).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "ecoclic_test_bot",
        *,
        bot_first_name: str = "Éco-clic (test)",
        host: str = "127.0.0.1",
        port: int = 0,
        enforce_flood_limits: bool = False,
        flood_chat_rate: float = 1.0,
        flood_chat_burst: int = 3,
        flood_global_per_second: int = 30,
        callback_query_ttl: float | None = 15.0,
        webhook_max_attempts: int = 5,
        webhook_retry_delay: float = 0.05,
        webhook_timeout: float = 5.0,
        control_routes: bool = True,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like '<digits>:<secret>'")
        flood = (
            FloodLimiter(
                chat_rate=flood_chat_rate,
                chat_burst=flood_chat_burst,
                global_per_second=flood_global_per_second,
            )
            if enforce_flood_limits
            else None
        )
        self._core = Core(
            token=token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            flood=flood,
            callback_ttl=callback_query_ttl,
            webhook_max_attempts=webhook_max_attempts,
            webhook_retry_delay=webhook_retry_delay,
            webhook_timeout=webhook_timeout,
        )
        self.token = token
        self.bot_username = bot_username
        self._host = host
        self._requested_port = port
        self._control_routes = control_routes
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.internal_errors: list[Exception] = []  # bugs of the fake; the fixture fails on them

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """For aiogram's `TelegramAPIServer.from_base` and plain HTTP clients."""
        if not self.port:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://{self._host}:{self.port}"

    @property
    def ptb_base_url(self) -> str:
        """For PTB's `base_url` (PTB appends the token)."""
        return f"{self.base_url}/bot"

    @property
    def ptb_base_file_url(self) -> str:
        return f"{self.base_url}/file/bot"

    @property
    def bot_id(self) -> int:
        return self._core.state.bot_id

    async def start(self) -> FakeBotApi:
        app = web.Application(client_max_size=MAX_DOCUMENT_BYTES + 1024 * 1024)
        api_path = "/bot{token}/{method}"
        app.router.add_get(api_path, self._handle_api, allow_head=False)
        app.router.add_post(api_path, self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file, allow_head=False)
        if self._control_routes:
            add_control_routes(app, self)
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await runner.setup()
        await web.TCPSite(runner, self._host, self._requested_port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        core = self._core
        core.closing = True
        core.queue.wake(activity=False)  # pending long polls answer [] at once
        await core.deliverer.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- HTTP ------------------------------------------------------------------------------
    async def _handle_api(self, request: web.Request) -> web.Response:
        core = self._core
        found = lookup(request.match_info["method"])
        name = found[0] if found else request.match_info["method"]
        polling = name == "getUpdates"
        at, started = time.time(), time.monotonic()
        params: dict[str, Any] = {}
        status, result = 499, None
        error: str | None = "client went away"
        if not polling:
            core.in_flight += 1
        try:
            try:
                if request.match_info["token"] != core.state.token:
                    raise ApiError(401, "Unauthorized")
                if found is None:
                    raise ApiError(404, "Not Found")
                params = decode_params(await read_request(request))
                result = await core.run(name, found[1], Params(params))
                status, error = 200, None
                body: dict[str, Any] = {"ok": True, "result": result}
            except ApiError as exc:
                status, error, body = exc.status, exc.description, exc.envelope()
            except Exception as exc:  # a bug of the fake itself: answer, keep it, log it
                _log.exception("fake Bot API failed on %s", name)
                self.internal_errors.append(exc)
                failure = ApiError(500, f"Internal Server Error (fake bug: {exc!r})")
                status, error, body = 500, failure.description, failure.envelope()
            return web.json_response(body, status=status)
        finally:
            if not polling:
                core.in_flight -= 1
            call = Call(name, params, status, at, time.monotonic() - started, result, error)
            core.recorder.call(call, activity=not (polling and status == 200 and not result))

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if request.match_info["token"] != self._core.state.token:
            return web.json_response(ApiError(401, "Unauthorized").envelope(), status=401)
        for record in self._core.state.files.values():
            if record.file_path == path:
                return web.Response(body=record.data, content_type=record.mime_type)
        return web.json_response(ApiError(404, "Not Found").envelope(), status=404)

    # -- fault injection -------------------------------------------------------------------
    def fail_next(
        self,
        count: int = 1,
        status: int = 429,
        retry_after: int = 1,
        methods: Iterable[str] | None = None,
        description: str | None = None,
    ) -> None:
        """The next `count` calls of `methods` (None: all but getUpdates) fail with `status`."""
        self._core.faults.fail_next(count, status, retry_after, methods, description)

    def fail_ratio(
        self,
        ratio: float,
        statuses: Iterable[int] = (429, 500),
        retry_after: int = 1,
        seed: int | None = 0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Fail that share of send/edit calls at random (seeded); ratio 0 turns it off."""
        self._core.faults.fail_ratio(ratio, statuses, retry_after, seed, methods)

    def set_latency(self, seconds: float, methods: Iterable[str] | None = None) -> None:
        """Delay answers by `seconds` (methods None: every method but getUpdates; 0 = off)."""
        self._core.faults.set_latency(seconds, methods)

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: calls to that chat get 403 until the user writes again."""
        self._core.faults.blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._core.faults.blocked.discard(chat_id)
