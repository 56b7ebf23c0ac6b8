"""HTML rendering: one Jinja2 environment (autoescaped), French formats, the inlined stylesheet.

The stylesheet is inlined: the page is then one request (the favicon is declared empty), and the
Content-Security-Policy allows exactly that stylesheet by its hash and nothing else. A page that
can be printed adds one tiny second stylesheet, its print footer (`print_footer`), allowed by its
own hash in that response's policy.
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


def _hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


@functools.lru_cache(maxsize=64)
def content_security_policy(extra_css: str = "") -> str:
    """The policy allowing the stylesheet and, when given, the page's print footer (bounded
    cache: the footer's text changes every minute)."""
    styles = " ".join([_hash(stylesheet()), *([_hash(extra_css)] if extra_css else [])])
    return (
        "default-src 'none'; "
        f"style-src {styles}; "
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


def _css_string(text: str) -> str:
    """`text` as a CSS string literal that cannot close the string nor the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;/_-–·()'" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def print_footer(site: str, now: datetime) -> str:
    """The printed pages' footer: the date the page was generated (Paris time) and the site's
    address. Only the site, never the page's own link: its signed token opens the page for 24
    hours to whoever reads it, and paper gets passed around. The footer takes the place of the
    browser's own, which would print the whole link."""
    text = f"Éco-clic · page générée le {_datetime(now)} · {site.rstrip('/')}"
    return "@media print{@page{@bottom-left{content:" + _css_string(text) + "}}}"


def render(
    template: str, status_code: int = 200, *, print_css: str = "", **context: Any
) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(css=stylesheet(), print_css=print_css, **context)
    )
    response = HTMLResponse(html, status_code=status_code)
    if print_css:
        response.headers["content-security-policy"] = content_security_policy(print_css)
    return response
