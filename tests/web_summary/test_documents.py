"""The page's downloads: the same documents as the chat, refused like the page to a bad link."""

from __future__ import annotations

import csv
import io
import zipfile

import pypdf

from tests.helpers.web import NOW, World


async def test_the_page_offers_and_serves_the_three_documents(sqlite_world: World) -> None:
    world = sqlite_world
    page_url = world.url("c", "beauvoir", "admin", "camille")
    async with world.client() as client:
        page = (await client.get(page_url)).text
        for fmt in ("pdf", "ods", "csv"):
            assert f'href="{page_url}/documents/{fmt}"' in page
        pdf = await client.get(f"{page_url}/documents/pdf")
        ods = await client.get(f"{page_url}/documents/ods")
        sheet = await client.get(f"{page_url}/documents/csv")
        unknown = await client.get(f"{page_url}/documents/docx")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith('attachment; filename="feuille-de-route-')
    assert len(pdf.content) <= 300_000
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert "Commune de Beauvoir" in " ".join(p.extract_text() for p in reader.pages)
    assert ods.headers["content-type"] == "application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(io.BytesIO(ods.content)) as archive:
        assert b"Commune de Beauvoir" in archive.read("content.xml")
    assert sheet.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "Action" and len(rows) > 1
    assert unknown.status_code == 422


async def test_documents_are_refused_to_strangers_and_expired_links(sqlite_world: World) -> None:
    world = sqlite_world
    from web_summary.links import LinkSigner

    old = LinkSigner(world.secret, "http://x", clock=lambda: NOW.timestamp() - 25 * 3600)
    expired = old.token("c", world.places["beauvoir"], "admin", world.users["camille"])
    stranger = world.url("c", "peer0", "admin", "camille")  # Camille is not in that team
    lointain = world.token("o", "lointain", "referent", "lou")
    occitan = world.token("o", "occitan", "referent", "romane")
    async with world.client() as client:
        for path in (
            f"/c/{expired}/documents/pdf",
            f"{stranger}/documents/csv",
            f"/o/{lointain}/c/{world.places['beauvoir']}/documents/ods",
        ):
            response = await client.get(path)
            assert response.status_code == 403, path
            assert "Commune de Beauvoir" not in response.text
            assert response.headers["content-type"].startswith("text/html")
        followed = await client.get(f"/o/{occitan}/c/{world.places['beauvoir']}/documents/pdf")
    assert followed.status_code == 200 and followed.content.startswith(b"%PDF")


async def test_the_page_shows_the_target_and_stable_numbers(sqlite_world: World) -> None:
    from datetime import date

    from storage.store import SqlStore

    world = sqlite_world
    with world.sessions() as session, session.begin():
        SqlStore(session).roadmap.set_target(
            world.places["beauvoir"],
            grade="C",
            index=None,
            due_date=date(2027, 6, 30),
            user_id=world.users["camille"],
            now=NOW,
        )
    url = world.url("c", "beauvoir", "admin", "camille")
    async with world.client() as client:
        html = (await client.get(url)).text
        data = (await client.get("/api" + url)).json()
    target = data["target"]
    assert target["grade"] == "C" and target["reached"] is False and target["enough"] is True
    floor = next(g.min for g in world.ref.grades if g.letter == "C")
    assert (target["index"], target["gap"]) == (floor, floor - data["index"])
    numbers = [a["number"] for a in data["actions"]]
    assert len(set(numbers)) == len(numbers) and min(numbers) >= 1
    assert set(target["actions"]) <= set(numbers)
    # Progress towards it, on the page: target and date, current index, gap, how many actions.
    n = len(target["actions"])
    assert f"Cible : lettre C (indice {floor}) d’ici le 30 juin 2027</strong> — pas encore" in html
    share = round(100 * data["index"] / floor)
    assert f"<dt>Indice actuel</dt><dd>{data['index']} / 100, soit {share}\xa0% de l’indice" in html
    assert f"<dd>{target['gap']} points à gagner</dd>" in html
    assert f"{n} actions ouvertes : il suffit de réaliser les actions n° " in html
