"""Issue 17: the staff menu (/collectivites, /admin) leaves the Telegram menu of someone who stops
being a referent or a platform administrator, at their next command (fake Bot API, both adapters).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import delete

from ecoclic.service import ChatService
from storage.models import Referent
from tests.bot.telegram.conftest import RunningBot
from tests.bot.telegram.test_team_opsn_telegram import referent_link

REFERENT, ADMIN = 401, 402
STAFF_ONLY = {"collectivites", "admin"}


def menu(bot: RunningBot, chat_id: int) -> set[str]:
    """The command names a Telegram client shows in that chat (chat scope first, then default)."""
    return {name for name, _ in bot.fake.commands_for(chat_id, "fr")}


async def test_a_referent_removed_loses_the_staff_menu(
    polling_bot: RunningBot, sessions: Any
) -> None:
    referent = polling_bot.user(REFERENT, name="Rémi")
    await referent.say("/start " + referent_link(sessions))
    await referent.say("/aide")
    assert menu(polling_bot, REFERENT) >= STAFF_ONLY
    assert len(polling_bot.fake.calls("deleteMyCommands")) == 0

    with sessions() as session, session.begin():  # the OPSN's referents are changed by an operator
        session.execute(delete(Referent))
    await referent.say("/aide")
    assert not STAFF_ONLY & menu(polling_bot, REFERENT)
    assert "plan" in menu(polling_bot, REFERENT)  # the default list shows again
    deleted = polling_bot.fake.calls("deleteMyCommands")
    assert len(deleted) == 1
    await referent.say("/aide")
    assert len(polling_bot.fake.calls("deleteMyCommands")) == 1  # once, not at every command


async def test_a_platform_admin_no_more_loses_the_staff_menu(
    polling_bot: RunningBot, service: ChatService
) -> None:
    service.config = replace(service.config, platform_admins=frozenset({str(ADMIN)}))
    admin = polling_bot.user(ADMIN, name="Alix")
    await admin.say("/aide")
    assert menu(polling_bot, ADMIN) >= STAFF_ONLY

    service.config = replace(service.config, platform_admins=frozenset())
    await admin.say("/aide")
    assert not STAFF_ONLY & menu(polling_bot, ADMIN)

    service.config = replace(service.config, platform_admins=frozenset({str(ADMIN)}))
    await admin.say("/admin")
    assert menu(polling_bot, ADMIN) >= STAFF_ONLY  # and it comes back with the role


async def test_a_referent_who_erases_their_data_loses_the_staff_menu(
    polling_bot: RunningBot, sessions: Any
) -> None:
    referent = polling_bot.user(REFERENT + 10, name="Rose")
    await referent.say("/start " + referent_link(sessions))
    assert menu(polling_bot, REFERENT + 10) >= STAFF_ONLY
    await referent.say("/supprimer")
    await referent.tap("Effacer mes données")
    done = await referent.tap("Oui, effacer")
    assert "vos données personnelles sont effacées" in referent.texts(done)
    await referent.say("/aide")  # a stranger now, as far as the bot knows
    assert not STAFF_ONLY & menu(polling_bot, REFERENT + 10)
