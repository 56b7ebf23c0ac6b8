"""A real Synapse homeserver on 127.0.0.1 for the Matrix channel tests (test dependency only: AGPL).

SQLite, no federation, no trusted key servers, relaxed rate limits, registration by shared secret:
accounts are made through the admin API (`register`), each with its own access token and device.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

SERVER_NAME = "localhost"
SHARED_SECRET = "tests-shared-secret"
_RELAXED = {"per_second": 1000, "burst_count": 10000}


def synapse_available() -> str:
    """ "" when Synapse can run here, else why not."""
    try:
        import synapse  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the machine
        return f"matrix-synapse is not installed ({exc}); pip install -e '.[test]'"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(folder: Path, port: int) -> dict[str, Any]:
    limits = {
        name: _RELAXED
        for name in (
            "rc_message",
            "rc_registration",
            "rc_joins_per_room",
            "rc_3pid_validation",
            "rc_invites",
            "rc_third_party_invite",
            "rc_media_create",
            "rc_presence",
            "rc_delayed_event_mgmt",
            "rc_room_creation",
            "rc_reports",
            "rc_key_requests",
        )
    }
    return {
        "server_name": SERVER_NAME,
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "media_store_path": str(folder / "media"),
        "signing_key_path": str(folder / "signing.key"),
        "log_config": None,
        "report_stats": False,
        "federation_domain_whitelist": [],
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "registration_shared_secret": SHARED_SECRET,
        "enable_registration": False,
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "rc_login": {"address": _RELAXED, "account": _RELAXED, "failed_attempts": _RELAXED},
        "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
        **limits,
    }


@dataclass(frozen=True)
class Account:
    user_id: str
    access_token: str
    device_id: str


class Synapse:
    """`start()` runs the homeserver in a child process until `stop()`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: Account | None = None

    def start(self, timeout: float = 60.0) -> None:
        import yaml

        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "homeserver.yaml"
        settings = _config(self.folder, self.port)
        settings.pop("log_config")
        config.write_text(yaml.safe_dump(settings))
        base = [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)]
        subprocess.run([*base, "--generate-keys"], check=True, capture_output=True, cwd=self.folder)
        log = (self.folder / "synapse.log").open("wb")
        env = {**os.environ, "SYNAPSE_ASYNC_IO_REACTOR": "0"}
        self._process = subprocess.Popen(
            base, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, env=env
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"synapse exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"synapse did not start in {timeout}s: {self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        path = self.folder / "synapse.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        self._process = None

    def admin(self) -> Account:
        """A server administrator, for the admin API (made once)."""
        if self._admin is None:
            self._admin = self.register("synapse-admin", admin=True)
        return self._admin

    def register(self, localpart: str, *, admin: bool = False) -> Account:
        """A new account by the shared secret (admin API), with its first device and token."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        nonce = httpx.get(endpoint, timeout=10).json()["nonce"]
        password = f"pw-{localpart}"
        kind = b"admin" if admin else b"notadmin"
        message = b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), kind])
        mac = hmac.new(SHARED_SECRET.encode(), message, hashlib.sha1).hexdigest()
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac,
        }
        answer = httpx.post(endpoint, json=body, timeout=30)
        answer.raise_for_status()
        data = answer.json()
        return Account(data["user_id"], data["access_token"], data["device_id"])
