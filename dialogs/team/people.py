"""Small helpers shared by the team and OPSN features: names, dates, deep links, tokens.

The OPSN package uses them too (it may import `team`; `team` never imports `opsn`)."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.context import Ctx
from dialogs.i18n import Translator
from dialogs.privacy.texts import FORMER_MEMBER

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,60}$")  # what we accept after the "inv_"/"ref_" prefix
MAX_PAYLOAD = 64  # Telegram's deep-link limit


def new_token() -> str:
    """192 bits of randomness, URL-safe: 32 characters of [A-Za-z0-9_-]."""
    return secrets.token_urlsafe(24)


def deep_link(ctx: Ctx, payload: str) -> str:
    """The message carrying a one-time code: the `t.me` link and, beneath it, the `/start CODE` to
    send to the bot when the link does not open (another app, Tchap); only the latter when the bot's
    username is unknown (no Telegram bot configured, getMe unanswered): a guessed name would send
    people to someone else's bot."""
    if len(payload) > MAX_PAYLOAD or not re.fullmatch(r"[A-Za-z0-9_-]+", payload):
        raise ValueError("deep-link payload must be ≤ 64 characters of [A-Za-z0-9_-]")
    username = ctx.config.telegram_username()
    if not username:
        return ctx._("Envoyez ce message au bot Éco-clic : /start {code}").format(code=payload)
    start = ctx._("Ou envoyez ce message au bot : /start {code}").format(code=payload)
    return f"https://t.me/{username}?start={payload}\n{start}"


def token_from(payload: str, prefix: str) -> str | None:
    token = payload.strip()[len(prefix) :]
    return token if TOKEN_RE.match(token) else None


def local_date(ctx: Ctx, moment: datetime, tr: Translator | None = None) -> str:
    day: date = moment.astimezone(ZoneInfo(ctx.config.timezone)).date()
    return (tr or ctx.tr).date(day, "long")


def name_of(ctx: Ctx, user_id: int | None, tr: Translator | None = None) -> str:
    """Display name of a user; "vous" for the speaker; a neutral word when unknown."""
    tr = tr or ctx.tr
    if user_id is None:
        return tr.gettext("quelqu’un")
    if user_id == ctx.user.id and tr is ctx.tr:
        return tr.gettext("vous")
    user = ctx.store.people.user(user_id)
    if user is not None and user.is_erased:
        return tr.gettext(FORMER_MEMBER)
    return (user.display_name if user else "") or tr.gettext("une personne sans nom")
