"""Opening the client safely, pacing, and how Matrix errors map to delivery outcomes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from nio import RoomSendError

from bot.delivery import DeliveryError, RetryLater, TransientFailure, Undeliverable
from bot.matrix import client as matrix_client
from bot.matrix.client import (
    EncryptionUnavailable,
    MatrixOptions,
    RoomPacing,
    SyncTokenFile,
    _error,
    open_client,
)


def options(store: Path) -> MatrixOptions:
    return MatrixOptions("http://127.0.0.1:9", "@bot:localhost", "token", "DEVICE", store)


async def test_the_key_store_is_created_and_encryption_is_on(tmp_path: Path) -> None:
    store = tmp_path / "deep" / "store"
    client = open_client(options(store))
    try:
        assert store.is_dir() and client.olm is not None
        assert client.device_id == "DEVICE" and client.access_token == "token"
    finally:
        await client.close()


async def test_refuses_to_start_without_encryption(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nio.client.base_client as base

    monkeypatch.setattr(base, "ENCRYPTION_ENABLED", False)  # as without vodozemac
    with pytest.raises(EncryptionUnavailable, match="chiffrement"):
        open_client(options(tmp_path / "store"))


async def test_about_one_send_per_second_per_room_after_a_burst() -> None:
    pacing = RoomPacing(rate=20.0, burst=2, global_rate=1000)  # 50 ms apart after 2
    starts: list[float] = []
    begin = time.monotonic()

    async def send(room: str) -> None:
        async with pacing.slot(room):
            starts.append(time.monotonic() - begin)

    await asyncio.gather(*(send("!a") for _ in range(6)), send("!b"))
    first, late = sorted(starts)[:3], sorted(starts)[3:]
    assert max(first) < 0.5  # 2 of !a and the one of !b go at once (bound generous: busy CI)
    # Sleeps may run late, never early: the 4 others of !a are 50 ms apart at least.
    assert [round(t, 2) >= 0.05 * (n + 1) - 0.005 for n, t in enumerate(late)] == [True] * 4


def test_errors_map_to_delivery_outcomes() -> None:
    limited = RoomSendError("Too many requests", "M_LIMIT_EXCEEDED", retry_after_ms=1500)
    assert isinstance(err := _error(limited), RetryLater) and err.retry_after == 1.5
    assert isinstance(_error(RoomSendError("no", "M_FORBIDDEN")), Undeliverable)
    refused = _error(RoomSendError("too big", "M_TOO_LARGE"))
    assert type(refused) is DeliveryError
    assert isinstance(_error(RoomSendError("bad gateway", None)), TransientFailure)
    assert matrix_client.LIVE_RETRIES >= 1


def test_the_sync_token_is_kept_in_a_small_file_written_now_and_then(tmp_path: Path) -> None:
    tokens = SyncTokenFile(tmp_path, every=60.0)
    assert tokens.load() is None
    tokens.save("s1")
    assert tokens.load() == "s1"
    tokens.save("s2")  # within `every` of the last write: skipped
    assert tokens.load() == "s1"
    tokens.save("s3", now=True)  # at stop
    assert tokens.load() == "s3"


async def test_a_restarted_client_resumes_from_the_saved_token(tmp_path: Path) -> None:
    SyncTokenFile(tmp_path / "store").path.parent.mkdir(parents=True)
    SyncTokenFile(tmp_path / "store").save("s42_7", now=True)
    client = open_client(options(tmp_path / "store"))
    try:
        assert client.loaded_sync_token == "s42_7"
    finally:
        await client.close()
