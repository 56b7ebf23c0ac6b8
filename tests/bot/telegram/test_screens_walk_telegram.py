"""Buttons that fit and no dead ends, as Telegram shows them (issue 17): the main commands and the
buttons of their first screens, pressed through the fake Bot API with both libraries, as the
administrator of a collectivité, a member she invited and an OPSN referent.

The checks are those of the engine walk (tests/dialogs/test_screens_walk.py), applied to what the
fake Bot API holds: every label at most 20 characters on a row of two or more, at most 28 alone, and
every screen has a button or says what to type next. A screen is what one update changed: the
messages the bot sent or edited for it.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.replies import Button, Reply
from tests.bot.telegram.conftest import RunningBot
from tests.bot.telegram.test_team_opsn_telegram import referent_link
from tests.dialogs.test_screens_walk import COMMANDS, OTHERS_DEAD_ENDS, Walk
from tests.helpers.fake_bot_api import BotMessage
from tests.helpers.telegram_driver import TelegramUser

ADMIN, MEMBER, REFERENT = 701, 702, 703
PRESSES_PER_PERSON = 45
# Pressing these would end the walk early (leaving the team, ending the attachment, switching the
# language) or is the plan's own walk; as in the engine walk.
SKIPPED = ("tm:leave", "tm:rm", "at:end", "l:")


def as_replies(messages: list[BotMessage]) -> tuple[Reply, ...]:
    """The screen as the engine walk reads it: text and buttons (URL buttons carry no data)."""
    return tuple(
        Reply(
            m.text,
            tuple(
                tuple(Button(label, data or "", "" if data else "u") for label, data in row)
                for row in m.buttons
            ),
        )
        for m in messages
    )


def data_of(messages: list[BotMessage]) -> list[tuple[int, str]]:
    return [(m.message_id, data) for m in messages for row in m.buttons for _, data in row if data]


async def explore(walk: Walk, person: TelegramUser) -> None:
    """Each command, then each button of what it showed, once (breadth first, one level)."""
    pressed: set[str] = set()
    presses = 0
    for command in COMMANDS:
        shown = await person.say(command)
        walk.check(command, as_replies(shown))
        for message_id, data in data_of(shown):
            if data in pressed or data.startswith(SKIPPED) or presses >= PRESSES_PER_PERSON:
                continue
            pressed.add(data)
            presses += 1
            walk.check(data, as_replies(await person.tap_data(message_id, data)))


async def test_labels_fit_and_no_dead_ends_through_telegram(
    polling_bot: RunningBot, sessions: Any
) -> None:
    admin = polling_bot.user(ADMIN, name="Camille")
    await admin.register()
    await admin.say("/equipe")
    invitation = admin.texts(await admin.tap("Inviter une personne"))
    code = re.search(r"/start (inv_[\w-]+)", invitation)
    assert code, invitation
    member = polling_bot.user(MEMBER, name="Eli")
    await member.say(f"/start {code.group(1)}")
    referent = polling_bot.user(REFERENT, name="Régis")
    await referent.say(f"/start {referent_link(sessions)}")

    walk = Walk()
    for person in (admin, member, referent):
        await explore(walk, person)
    assert walk.screens > 60, walk.screens  # the walk really went places
    assert not walk.bad, "\n".join(f"{p} from {sorted(o)[:3]}" for p, o in walk.bad.items())
    assert not walk.plan_bad, "\n".join(
        f"{p} from {sorted(o)[:3]}" for p, o in walk.plan_bad.items()
    )
    dead = {o: t for o, t in walk.dead_ends.items() if o not in OTHERS_DEAD_ENDS}
    assert not dead, "\n".join(f"{o} → {t}" for o, t in sorted(dead.items()))
