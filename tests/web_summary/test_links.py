"""Signed links: round trip, forgery, alteration, expiry, kind confusion, the stored key."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from itsdangerous import URLSafeSerializer
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ecoclic.app import link_signer
from ecoclic.settings import Settings
from storage.models import KeyValue
from web_summary.links import (
    KEY_NAME,
    MAX_AGE_SECONDS,
    SALT,
    LinkError,
    LinkSigner,
    secret_key,
)

T0 = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def test_round_trip_and_url() -> None:
    signer = LinkSigner("k" * 32, "https://ecoclic.example.fr/", clock=Clock())
    url = signer.url("c", 12, "admin", 7)
    assert url.startswith("https://ecoclic.example.fr/c/")
    claims = signer.check(url.rsplit("/", 1)[1], "c")
    assert (claims.kind, claims.target_id, claims.role, claims.user_id) == ("c", 12, "admin", 7)
    operator = signer.check(signer.token("o", 3, "operator"), "o")
    assert operator.user_id is None


def test_expiry_is_24_hours() -> None:
    clock = Clock()
    signer = LinkSigner("k" * 32, "http://x", clock=clock)
    token = signer.token("o", 1, "referent", 2)
    clock.now = T0 + MAX_AGE_SECONDS
    assert signer.check(token, "o").target_id == 1
    clock.now = T0 + MAX_AGE_SECONDS + 1
    with pytest.raises(LinkError) as caught:
        signer.check(token, "o")
    assert caught.value.expired


def test_forged_altered_and_confused_links_fail() -> None:
    signer = LinkSigner("k" * 32, "http://x", clock=Clock())
    token = signer.token("c", 12, "member", 7)
    other_key = LinkSigner("another key", "http://x", clock=Clock()).token("c", 12, "member", 7)
    # Same payload signed with the right key but for a role the link kind does not have.
    raw = URLSafeSerializer("k" * 32, salt=SALT, signer_kwargs={"digest_method": hashlib.sha256})
    wrong_role = raw.dumps({"t": "c", "id": 12, "role": "referent", "u": 7, "at": int(T0)})
    string_id = raw.dumps({"t": "c", "id": "12", "role": "member", "u": 7, "at": int(T0)})
    future = raw.dumps({"t": "c", "id": 12, "role": "member", "u": 7, "at": int(T0) + 3600})
    altered = [
        token[:i] + ("x" if token[i] != "x" else "y") + token[i + 1 :]
        for i in range(0, len(token), 7)
    ]
    for bad in [other_key, wrong_role, string_id, future, "", "a.b", "é", "x" * 400, *altered]:
        with pytest.raises(LinkError) as caught:
            signer.check(bad, "c")
        assert not caught.value.expired
    with pytest.raises(LinkError):
        signer.check(token, "o")  # a collectivité link does not open an OPSN page


def test_unknown_kind_or_role_cannot_be_signed() -> None:
    signer = LinkSigner("k" * 32, "http://x")
    with pytest.raises(ValueError):
        signer.token("c", 1, "referent")
    with pytest.raises(ValueError):
        signer.token("z", 1, "admin")


def test_key_from_settings_or_generated_once(
    sessions: sessionmaker[Session],
) -> None:
    assert secret_key(sessions, "from-the-environment") == "from-the-environment"
    configured = Settings(secret_key=SecretStr("from-the-environment"))
    token = LinkSigner("from-the-environment", "http://x").token("c", 1, "admin")
    assert link_signer(configured, sessions).check(token, "c").target_id == 1
    with ThreadPoolExecutor(2) as pool:  # two processes racing to create the key
        first, second = pool.map(lambda _: secret_key(sessions), range(2))
    assert first == second and len(first) >= 40
    assert secret_key(sessions) == first
    with sessions() as session:
        stored = session.scalar(select(KeyValue.value).where(KeyValue.key == KEY_NAME))
    assert stored == first
