"""In a real headless Chromium: no violation found by axe-core, at most 3 requests, all to this
server, and screenshots in artifacts/web_summary/ for a person to look at."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.helpers.browser import CHROMIUM, chromium, served
from tests.helpers.web import World

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
)


async def test_pages_are_accessible_light_and_self_contained(sqlite_world: World) -> None:
    world = sqlite_world
    occitan = world.url("o", "occitan", "referent", "romane")
    pages = {
        "collectivite": world.url("c", "beauvoir", "admin", "camille"),
        "collectivite-filtree": world.url("c", "beauvoir", "admin", "camille")
        + "?theme=&priority=prioritaire&status=a_faire",
        "collectivite-vide": world.url("c", "autreville", "admin", "sam"),
        "opsn": occitan + "?sort=index&order=desc",
        "opsn-collectivite": f"{occitan}c/{world.places['peer2']}",
        "opsn-fiche": f"{occitan}c/{world.places['beauvoir']}/fiche",
        "refus": "/c/lien-invente",
        "accueil": "/",
    }
    async with served(world.app) as base, chromium() as page:
        origin = urlsplit(base).netloc
        for name, path in pages.items():
            requests = await page.open(base + path)
            web = [url for url in requests if not url.startswith("data:")]
            assert 1 <= len(web) <= 3, (name, web)
            assert all(urlsplit(url).netloc == origin for url in web), (name, web)
            violations = await page.axe()
            assert violations == [], (name, violations)
            await page.screenshot(name)
        # The steering-committee handout: print rules applied, filters and navigation hidden.
        await page.open(base + pages["collectivite"], media="print")
        hidden = await page.evaluate("getComputedStyle(document.querySelector('.filters')).display")
        assert hidden == "none"
        await page.screenshot("collectivite-impression", width=800)
        # A phone: the page still reads (one column) and axe still finds nothing.
        await page.open(base + pages["collectivite"])
        await page.screenshot("collectivite-mobile", width=390)
        assert await page.axe() == []
