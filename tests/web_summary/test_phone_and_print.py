"""The pages on a phone and on paper, in a real headless Chromium: at 390 px the plan is a list of
cards and no page scrolls sideways; printed, the collectivité page gives A4 pages with the date and
the site's address in a footer (never the signed link), no half-empty page and no empty last page.
"""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from storage.store import SqlStore
from tests.helpers.browser import ARTIFACTS, CHROMIUM, chromium, served
from tests.helpers.web import NOW, PUBLIC_URL, World
from web_summary.legend import legend
from web_summary.views import FR

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
)

PHONE = 390
A4 = (595.3, 841.9)  # points (Chromium rounds to its pixel grid: within one point)
FOOTER_BAND = 16 / 25.4 * 72  # the bottom margin (16 mm), where the footer is printed
FOOTER = re.compile(r"Éco-clic · page générée le (\d{1,2} \w+ \d{4}) à \d\d:\d\d · (\S+)")


def set_target(world: World) -> None:
    with world.sessions() as session, session.begin():
        SqlStore(session).roadmap.set_target(
            world.places["beauvoir"],
            grade="C",
            index=None,
            due_date=date(2027, 6, 30),
            user_id=world.users["camille"],
            now=NOW,
        )


OVERFLOW = "document.scrollingElement.scrollWidth"


async def test_on_a_phone_the_plan_is_cards_and_nothing_scrolls_sideways(
    sqlite_world: World,
) -> None:
    world = sqlite_world
    set_target(world)
    page_path = world.url("c", "beauvoir", "admin", "camille")
    occitan = world.url("o", "occitan", "referent", "romane")
    async with world.client() as client:
        data = (await client.get("/api" + page_path)).json()
    async with served(world.app) as base, chromium() as page:
        await page.viewport(PHONE)
        await page.open(base + page_path)
        assert await page.evaluate(OVERFLOW) <= PHONE
        assert await page.evaluate("document.querySelectorAll('table.actions').length") == 0
        widths = await page.evaluate(
            "[...document.querySelectorAll('ul.cards > li.card')]"
            ".map(c => c.getBoundingClientRect().width)"
        )
        assert len(widths) == len(data["actions"]) > 5
        assert all(0 < w < PHONE for w in widths)
        first = await page.evaluate("document.querySelector('li.card').innerText")
        for label in ("Priorité", "Statut", "Échéance", "Pilote"):
            assert label in first
        assert data["actions"][0]["title"] in first
        # The legend and the way to the target are on the page.
        text = await page.evaluate("document.body.innerText")
        assert legend(FR, world.ref).scale in text
        assert "Cible : lettre C" in text and "Écart" in text
        assert await page.axe() == []
        await page.screenshot("collectivite-telephone", width=PHONE)
        # The dashboard and the supervision page: every table stacks, none overflows.
        for name, path in {
            "opsn": occitan + "?sort=grade&order=asc",
            "opsn-fiche": f"{occitan}c/{world.places['beauvoir']}/fiche",
        }.items():
            await page.viewport(PHONE)
            await page.open(base + path)
            assert await page.evaluate(OVERFLOW) <= PHONE, name
            displays = await page.evaluate(
                "[...document.querySelectorAll('table.stack tbody tr')]"
                ".map(r => getComputedStyle(r).display)"
            )
            assert displays and set(displays) != {"table-row"}, name
            # The dashboard's sort links stay visible and usable on a phone.
            sort_links = await page.evaluate(
                "[...document.querySelectorAll('table.sortable thead a')]"
                ".filter(a => a.getBoundingClientRect().width > 0).length"
            )
            assert sort_links == (5 if name == "opsn" else 0), name
            assert await page.axe() == [], name
            await page.screenshot(f"{name}-telephone", width=PHONE)
        # On a wide screen the dashboard is still a table.
        await page.viewport(1000)
        await page.open(base + occitan)
        row = await page.evaluate("getComputedStyle(document.querySelector('tbody tr')).display")
        assert row == "table-row"


def paris_day() -> str:
    return FR.date(datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")).date(), "long")


def body_bottoms(reader: PdfReader) -> list[float]:
    """Per page, the lowest y of any text above the footer band (0 for a page without body text)."""
    bottoms = []
    for pdf_page in reader.pages:
        ys: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object, into: list = ys) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's origin on the page, in points
            if text.strip() and y > FOOTER_BAND:
                into.append(y)

        pdf_page.extract_text(visitor_text=visit)
        bottoms.append(min(ys) if ys else 0.0)
    return bottoms


async def test_printed_page_is_a4_with_a_footer_and_no_wasted_page(sqlite_world: World) -> None:
    world = sqlite_world
    set_target(world)
    page_path = world.url("c", "beauvoir", "admin", "camille")
    token = world.token("c", "beauvoir", "admin", "camille")
    before = paris_day()
    async with served(world.app) as base, chromium() as page:
        await page.open(base + page_path, media="print")
        printed = await page.pdf()
        # Printed with the dialog's « Headers and footers » ticked: the browser would add the
        # page's whole address, token included; the page's own footer takes its place.
        with_browser_footer = await page.pdf(browser_header_footer=True)
        await page.open(base + world.url("o", "occitan", "referent", "romane"), media="print")
        dashboard = PdfReader(io.BytesIO(await page.pdf()))
    for pdf_page in dashboard.pages:  # the OPSN's dashboard prints the same footer
        assert FOOTER.search(pdf_page.extract_text()) is not None
    reader = PdfReader(io.BytesIO(printed))
    assert len(reader.pages) >= 2
    texts = [p.extract_text() for p in reader.pages]
    days = {before, paris_day()}  # the page may be generated just before midnight
    for number, (pdf_page, text) in enumerate(zip(reader.pages, texts, strict=True), 1):
        box = pdf_page.mediabox
        assert abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1
        footer = FOOTER.search(text)
        assert footer is not None, text[-300:]
        assert footer.group(1) in days and footer.group(2) == PUBLIC_URL
        assert f"page {number} sur {len(reader.pages)}" in text
    whole = "".join(texts)
    # The signed link opens the page to whoever reads it: the paper never carries it.
    assert token not in whole.replace("\n", "") and token[:24] not in whole
    assert "Le lien personnel de cette page n’est pas imprimé" in whole
    browser_printed = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(with_browser_footer)).pages
    ).replace("\n", "")
    assert FOOTER.search(browser_printed) is not None
    assert token[:24] not in browser_printed and "127.0.0.1" not in browser_printed
    assert "Lire l’indice" in whole and "Cible : lettre C" in whole
    assert "Filtrer" not in whole and "Aller au contenu" not in whole  # no form, no navigation
    # No half-empty page before the last, and the last one carries more than the footer.
    bottoms = body_bottoms(reader)
    assert all(0 < bottom < A4[1] / 2 for bottom in bottoms[:-1]), bottoms
    assert bottoms[-1] > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "collectivite-impression.pdf").write_bytes(printed)  # for a person to look at
