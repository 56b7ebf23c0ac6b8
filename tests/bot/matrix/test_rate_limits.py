"""A 429 storm from the homeserver: live replies wait `retry_after_ms` and arrive; the outbox gets
`RetryLater` to reschedule (nio's own endless retries are off)."""

from __future__ import annotations

import asyncio

import httpx

from bot.delivery import RetryLater
from dialogs.replies import Reply
from tests.bot.matrix.conftest import Person
from tests.helpers.synapse import Synapse


def throttle(synapse: Synapse, user_id: str, per_second: int) -> None:
    """Synapse's own per-user message limit, set through its admin API."""
    admin = synapse.admin()
    answer = httpx.post(
        f"{synapse.url}/_synapse/admin/v1/users/{user_id}/override_ratelimit",
        json={"messages_per_second": per_second, "burst_count": 1},
        headers={"Authorization": f"Bearer {admin.access_token}"},
        timeout=10,
    )
    answer.raise_for_status()


async def test_429_storm_delays_live_replies_and_reschedules_the_outbox(
    synapse: Synapse, person: Person
) -> None:
    bot, room = person.bot, person.user.room_id
    await person.say("/start")
    throttle(synapse, bot.account.user_id, 1)

    outcomes = await asyncio.gather(
        *(bot.sender.deliver(room, Reply(f"Rappel {n}")) for n in range(4)),
        return_exceptions=True,
    )
    limited = [o for o in outcomes if isinstance(o, RetryLater)]
    assert limited, f"Synapse never said 429: {outcomes!r}"
    assert all(0 < o.retry_after <= 5 for o in limited)
    assert all(isinstance(o, str | RetryLater) for o in outcomes), outcomes

    texts = await person.say("/aide")  # several messages in one second: each waits its turn
    assert "/langue" in texts  # /aide lists what this person (not registered yet) may use
    sent = [await bot.sender.send(room, Reply(f"Suite {n}")) for n in range(3)]
    await person.user.wait_for(sent)
    assert all(f"Suite {n}" in person.user.texts() for n in range(3))
