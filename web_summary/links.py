"""Signed, expiring links: a page without a password.

A link carries `{"t": "c" | "o", "id": target id, "role": role, "u": user id or null, "at": issue
time}`, signed (HMAC-SHA256) with the platform key. It opens one collectivité ("c") or one OPSN ("o")
for 24 hours; whoever holds it sees that page and nothing else. Changing one character breaks the
signature; the target and role cannot be swapped without the key.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session, sessionmaker

from storage import key_values

MAX_AGE_SECONDS = 24 * 3600
CLOCK_SKEW_SECONDS = 300  # a link "from the future" beyond this was not made by us
SALT = "ecoclic.web-link.v1"
KEY_NAME = "web_link_secret"

Kind = Literal["c", "o"]
ROLES: dict[str, frozenset[str]] = {
    "c": frozenset({"admin", "member", "operator"}),
    "o": frozenset({"referent", "operator"}),
}
# The dashboard ends with "/" so that its 500 rows link to "c/<id>", not to the whole link again.
PATHS: dict[str, tuple[str, str]] = {"c": ("/c/", ""), "o": ("/o/", "/")}


class LinkError(Exception):
    """A link that opens nothing. `expired` tells an honest old link from a forged one."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class LinkClaims:
    kind: str
    target_id: int
    role: str
    user_id: int | None  # None for links printed by an operator (`ecoclic link`)
    issued_at: float


class LinkSigner:
    """Makes and checks links with one key; `clock` is injectable so expiry can be tested."""

    def __init__(
        self, secret: str, public_url: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._serializer = URLSafeSerializer(
            secret, salt=SALT, signer_kwargs={"digest_method": hashlib.sha256}
        )
        self.public_url = public_url.rstrip("/")
        self.clock = clock

    def token(self, kind: str, target_id: int, role: str, user_id: int | None = None) -> str:
        if kind not in ROLES or role not in ROLES[kind]:
            raise ValueError(f"no link of kind {kind!r} for role {role!r}")
        # The issue time is inside the signed payload (not itsdangerous' own timestamp) so that
        # the clock is ours, hence testable.
        payload = {"t": kind, "id": target_id, "role": role, "u": user_id, "at": int(self.clock())}
        return str(self._serializer.dumps(payload))

    def url(self, kind: str, target_id: int, role: str, user_id: int | None = None) -> str:
        prefix, suffix = PATHS[kind]
        return f"{self.public_url}{prefix}{self.token(kind, target_id, role, user_id)}{suffix}"

    def check(self, token: str, kind: str) -> LinkClaims:
        """The claims of a genuine, unexpired link of `kind`; `LinkError` for anything else."""
        try:
            payload: Any = self._serializer.loads(token)
        except (BadSignature, UnicodeError, ValueError) as exc:
            raise LinkError() from exc
        claims = _claims(payload)
        if claims is None or claims.kind != kind:
            raise LinkError()
        age = self.clock() - claims.issued_at
        if age < -CLOCK_SKEW_SECONDS:
            raise LinkError()
        if age > MAX_AGE_SECONDS:
            raise LinkError(expired=True)
        return claims


def _claims(payload: Any) -> LinkClaims | None:
    """Shape check of a signed payload (a format change between versions must not crash a page)."""
    if not isinstance(payload, dict):
        return None
    kind, target, role, user, at = (payload.get(k) for k in ("t", "id", "role", "u", "at"))
    if kind not in ROLES or role not in ROLES[kind]:
        return None
    if not isinstance(target, int) or not isinstance(at, int) or isinstance(target, bool):
        return None
    if user is not None and (not isinstance(user, int) or isinstance(user, bool)):
        return None
    return LinkClaims(kind=kind, target_id=target, role=role, user_id=user, issued_at=float(at))


def secret_key(sessions: sessionmaker[Session], configured: str | None = None) -> str:
    """The configured key (`ECOCLIC_SECRET_KEY`), or a random key generated once and kept in the
    database, so that the bot (which makes links) and the web server (which checks them) agree
    without configuration. Synchronous: async callers run it in a worker thread."""
    if configured:
        return configured
    return key_values.get_or_create(sessions, KEY_NAME, lambda: secrets.token_urlsafe(32))


def link_signer(
    sessions: sessionmaker[Session], public_url: str, configured_key: str | None = None
) -> LinkSigner:
    return LinkSigner(secret_key(sessions, configured_key), public_url)
