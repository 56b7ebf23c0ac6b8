"""HTML rendering: one Jinja2 environment (autoescaped), French formats, the inlined stylesheet.

The stylesheet is inlined: the page is then one request (the favicon is declared empty), and the
Content-Security-Policy allows exactly that stylesheet by its hash and nothing else.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dialogs.i18n import translator
from web_summary import charts

HERE = Path(__file__).parent
TIMEZONE = "Europe/Paris"


@functools.cache
def stylesheet() -> str:
    return (HERE / "static" / "style.css").read_text(encoding="utf-8").strip()


@functools.cache
def content_security_policy() -> str:
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode()).digest()).decode()
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{digest}'; "
        "img-src data:; "
        "form-action 'self'; "
        "base-uri 'none'; "
        "frame-ancestors 'none'"
    )


# French formats of the values a 500-row dashboard prints thousands of times, without Babel's
# general machinery (tests check they equal Babel's output): "1 200", "50 %", "05/01/2026".
NARROW_NBSP = "\u202f"


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return f"{value:,}".replace(",", NARROW_NBSP)
    return translator("fr").number(value)


def _date(value: date | datetime, fmt: str = "long") -> str:
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(TIMEZONE)).date()
    if fmt == "short":
        return f"{value:%d/%m/%Y}"
    return translator("fr").date(value, fmt)


def _datetime(value: datetime) -> str:
    local = value.astimezone(ZoneInfo(TIMEZONE))
    return f"{translator('fr').date(local.date(), 'long')} à {local:%H:%M}"


def _date_short(value: date) -> str:
    """ "7 déc. 2026": chart axis labels."""
    return translator("fr").date(value, "medium")


def _percent(value: int) -> str:
    return f"{value}\xa0%"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=_number, date=_date, datetime=_datetime, percent=_percent)
    env.globals.update(charts=charts, date_short=_date_short)
    return env


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(css=stylesheet(), **context)
    return HTMLResponse(html, status_code=status_code)
