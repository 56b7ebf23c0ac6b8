"""The bot's own @username, asked of Telegram (getMe) by the processes that print `t.me` links
without running the bot (`ecoclic admin referent invite`, `ecoclic chat`).

`ecoclic serve` learns it when the bot starts. Elsewhere a guessed name would give links to someone
else's bot, so the name is asked once per process and, when it cannot be known (no token, Telegram
unreachable), the links give way to the `/start CODE` message to send to the bot.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecoclic.settings import Settings

log = logging.getLogger(__name__)

GET_ME_TIMEOUT = 5.0  # seconds: a command line waiting longer for a link helps nobody
_known: dict[tuple[str, str], str] = {}  # (API server, token) -> username, "" when unknown


def bot_username(settings: Settings) -> str:
    """The username getMe gives for the configured token; "" when there is no token or the call
    fails (kept too: one failed attempt per process, not one per link)."""
    token = settings.telegram_token
    key = (settings.telegram_api_server, token.get_secret_value() if token else "")
    if key not in _known:
        if token is None:
            log.warning("ECOCLIC_TELEGRAM_TOKEN is not set: the bot's username is unknown")
        _known[key] = _get_me(*key) if token else ""
    return _known[key]


def _get_me(api_server: str, token: str) -> str:
    import json
    import urllib.request  # only when a link is printed: `ecoclic chat` starts without it

    try:
        with urllib.request.urlopen(f"{api_server}/bot{token}/getMe", timeout=GET_ME_TIMEOUT) as r:
            answer = json.load(r)
        username = answer["result"]["username"] if answer.get("ok") else ""
    except (
        OSError,
        ValueError,
        LookupError,
        TypeError,
        AttributeError,
    ) as exc:  # URLError: OSError
        log.warning("getMe failed (%s): the bot's username is unknown", type(exc).__name__)
        return ""
    return username if isinstance(username, str) else ""
