"""A real headless Chromium (Debian's, never a downloaded build) driven over the DevTools protocol.

Small on purpose: open a page and record every network request, run axe-core in it, take a
screenshot. Talking CDP directly (one websocket, aiohttp is already installed) avoids a browser
driver whose version must match the browser's.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib.resources
import itertools
import json
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import uvicorn
from fastapi import FastAPI

CHROMIUM = "/usr/bin/chromium"
STARTUP_SECONDS = 60.0
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web_summary"


def axe_source() -> str:
    """axe-core as shipped inside the `axe-core-python` wheel (a test dependency with no deps)."""
    return (importlib.resources.files("axe_core_python") / "axe.min.js").read_text(encoding="utf-8")


@dataclass
class Page:
    """One browser tab over its own DevTools websocket."""

    ws: aiohttp.ClientWebSocketResponse
    pending: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    loaded: asyncio.Event = field(default_factory=asyncio.Event)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data:
                future = self.pending.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            else:
                self.events.append(data)
                if data.get("method") == "Page.loadEventFired":
                    self.loaded.set()

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[ident] = future
        await self.ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    async def open(self, url: str, *, media: str = "screen") -> list[str]:
        """Load `url`; return the URL of every network request the page made."""
        self.events.clear()
        self.loaded.clear()
        await self.send("Emulation.setEmulatedMedia", media=media)
        await self.send("Page.navigate", url=url)
        await asyncio.wait_for(self.loaded.wait(), 30)
        await asyncio.sleep(0.3)  # late requests (favicon…) would show up here
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"])[:500])
        return result["result"].get("value")

    async def axe(self) -> list[dict[str, Any]]:
        """axe-core violations (all rules axe runs by default, best practices included)."""
        await self.evaluate(axe_source())
        raw = await self.evaluate(
            "axe.run(document).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, "
            "impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))"
        )
        violations: list[dict[str, Any]] = json.loads(raw)
        return violations

    async def viewport(self, width: int, height: int = 800) -> None:
        """Lay the page out as on a screen `width` CSS pixels wide (a phone below 600)."""
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    async def pdf(self, *, browser_header_footer: bool = False) -> bytes:
        """Print the loaded page as Chromium's print dialog would, with the page's own @page size
        and margins; `browser_header_footer` ticks the dialog's « Headers and footers » box (date,
        title, address and page number, where the page does not print its own)."""
        printed = await self.send(
            "Page.printToPDF",
            preferCSSPageSize=True,
            printBackground=False,
            displayHeaderFooter=browser_header_footer,
        )
        return base64.b64decode(printed["data"])

    async def screenshot(self, name: str, width: int = 1000) -> Path:
        """A full-page PNG under artifacts/web_summary/, for a person to look at."""
        metrics = {"width": width, "deviceScaleFactor": 1, "mobile": width < 600}
        await self.send("Emulation.setDeviceMetricsOverride", height=800, **metrics)
        height = await self.evaluate("document.documentElement.scrollHeight")
        await self.send("Emulation.setDeviceMetricsOverride", height=int(height), **metrics)
        shot = await self.send("Page.captureScreenshot", format="png")
        await self.send("Emulation.clearDeviceMetricsOverride")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Page]:
    """Start Chromium, yield its first tab, stop it (and its profile directory) afterwards."""
    profile = tempfile.mkdtemp(prefix="ecoclic-chromium-")
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        # Generous: on a busy machine (other suites running) Chromium can take many seconds.
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Chromium did not start (exit code {process.returncode})")
            await asyncio.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with http.ws_connect(ws_url, max_msg_size=0) as ws:
                page = Page(ws)
                reader = asyncio.create_task(page.read())
                await page.send("Page.enable")
                await page.send("Network.enable")
                try:
                    yield page
                finally:
                    reader.cancel()
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
        shutil.rmtree(profile, ignore_errors=True)


class _QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Any:  # the test runner owns the signals
        yield


@contextlib.asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on a free 127.0.0.1 port in this event loop; yield its base URL."""
    server = _QuietServer(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
