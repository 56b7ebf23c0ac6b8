"""Per-chat ordering: one update at a time per chat, in order; chats do not wait for each other."""

from __future__ import annotations

import asyncio

import pytest

from bot.telegram.serial import ChatLanes


async def _handle(lanes: ChatLanes, chat: int, label: str, log: list[str], pause: float) -> None:
    turn = lanes.turn(chat)  # taken synchronously, as the bridge does
    async with turn:
        log.append(f"start {label}")
        await asyncio.sleep(pause)
        log.append(f"end {label}")


async def test_one_chat_runs_in_order_even_when_later_updates_are_faster() -> None:
    lanes = ChatLanes()
    log: list[str] = []
    pauses = [0.05, 0.0, 0.02, 0.0]
    await asyncio.gather(*(_handle(lanes, 1, str(i), log, pause) for i, pause in enumerate(pauses)))
    assert log == [f"{step} {i}" for i in range(4) for step in ("start", "end")]
    assert len(lanes) == 0  # idle lanes are dropped


async def test_chats_run_concurrently() -> None:
    lanes = ChatLanes()
    log: list[str] = []
    await asyncio.gather(_handle(lanes, 1, "a", log, 0.05), _handle(lanes, 2, "b", log, 0.0))
    assert log.index("end b") < log.index("end a")


async def test_a_failed_turn_releases_the_next() -> None:
    lanes = ChatLanes()
    log: list[str] = []

    async def failing() -> None:
        async with lanes.turn(1):
            raise RuntimeError("boom")

    results = await asyncio.gather(
        failing(), _handle(lanes, 1, "next", log, 0), return_exceptions=True
    )
    assert isinstance(results[0], RuntimeError)
    assert log == ["start next", "end next"]


async def test_a_turn_cancelled_while_waiting_keeps_the_order() -> None:
    lanes = ChatLanes()
    log: list[str] = []
    first = asyncio.create_task(_handle(lanes, 1, "1", log, 0.05))
    second = asyncio.create_task(_handle(lanes, 1, "2", log, 0))
    third = asyncio.create_task(_handle(lanes, 1, "3", log, 0))
    await asyncio.sleep(0.01)
    second.cancel()
    await asyncio.gather(first, third, return_exceptions=True)
    with pytest.raises(asyncio.CancelledError):
        await second
    assert log == ["start 1", "end 1", "start 3", "end 3"]
    assert len(lanes) == 0


async def test_memory_follows_busy_chats_only() -> None:
    lanes = ChatLanes()
    log: list[str] = []
    await asyncio.gather(*(_handle(lanes, chat, str(chat), log, 0) for chat in range(500)))
    assert len(lanes) == 0 and len(log) == 1000
