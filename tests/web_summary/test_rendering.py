"""The fast French formats of the pages equal Babel's; the stylesheet's hash is the CSP's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dialogs.i18n import translator
from web_summary.rendering import (
    _date,
    _datetime,
    _number,
    _percent,
    content_security_policy,
    print_footer,
)

FR = translator("fr")


def test_fast_formats_match_babel() -> None:
    for value in (0, 7, 999, 1000, 1200, 12_345, 999_999, 2_600_000, -1234):
        assert _number(value) == FR.number(value)
    assert _number(2.5) == FR.number(2.5)
    for value in (0, 5, 50, 100):
        assert _percent(value) == FR.percent(value)
    for day in (date(2026, 1, 5), date(2027, 12, 31)):
        assert _date(day, "short") == FR.date(day, "short")
        assert _date(day) == FR.date(day, "long")


def test_datetimes_are_shown_in_paris_time() -> None:
    late = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)
    assert _date(late, "short") == "15/07/2026"
    assert _datetime(late) == "15 juillet 2026 à 00:30"


def test_policy_allows_only_the_inline_stylesheet() -> None:
    policy = content_security_policy()
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert policy.count("sha256-") == 1


def test_print_footer_says_when_and_where_and_cannot_break_out() -> None:
    at = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)
    css = print_footer("https://ecoclic.example.fr/", at)
    assert css.startswith("@media print{@page{@bottom-left{content:")
    assert "page générée le 2 décembre 2026 à 14:05" in css  # Paris time
    assert "https:/" in css and "example.fr" in css and not css.endswith("/}}}")
    hostile = print_footer('https://x.fr/"}</style><script>alert(1)</script>', at)
    body = hostile.removeprefix("@media print{@page{@bottom-left{content:").removesuffix("}}}")
    assert body.count('"') == 2 and body.startswith('"') and body.endswith('"')
    assert "<" not in hostile and "}" not in body


def test_policy_adds_the_print_footer_by_its_hash() -> None:
    css = print_footer("https://ecoclic.example.fr", datetime(2026, 12, 2, 13, 5, tzinfo=UTC))
    policy = content_security_policy(css)
    assert policy.count("sha256-") == 2
    assert policy.startswith(content_security_policy().split(";")[0])
