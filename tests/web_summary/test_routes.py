"""The pages and the JSON API over real HTTP semantics (ASGI). Every query of the pages runs on
SQLite and PostgreSQL (the `world` tests); the rest on SQLite (`sqlite_world`), to stay quick."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re

from sqlalchemy import delete

from dialogs.records import Role
from referential.scoring import score
from storage.models import Referent
from storage.store import SqlStore
from tests.helpers.web import BEAUVOIR, NOW, World, answers_for

NNBSP = "\u202f"


async def test_collectivite_page_shows_everything(world: World) -> None:
    async with world.client() as client:
        page = await client.get(world.url("c", "beauvoir", "admin", "camille"))
        data = (await client.get("/api" + world.url("c", "beauvoir", "admin", "camille"))).json()
    assert page.status_code == 200
    html = page.text
    assert '<html lang="fr">' in html and html.count("<h1") == 1
    assert "<h1>Commune de Beauvoir</h1>" in html
    assert f"Commune · département 31 · 1{NNBSP}200 habitants" in html

    expected = score(world.ref, answers_for(world.ref, BEAUVOIR))
    assert (data["index"], data["grade"]) == (expected.index, expected.grade)
    assert f"<strong>{expected.index}</strong> / 100" in html
    assert f'class="badge grade-{expected.grade}"' in html
    assert data["progress"] == {"answered": 19, "total": 35, "percent": 54}
    assert "par Camille" in html
    for theme in expected.themes:
        assert f'<th scope="row">{theme.title}</th>' in html
    assert [t["index"] for t in data["themes"]] == [t.index for t in expected.themes]

    # One history point per day (one answer a day here), the last one is today's index.
    assert data["history"][-1]["index"] == expected.index
    assert "Évolution de l’indice de maturité" in html

    # Peers: the seven communes of 500–1 999 inhabitants plus Lointaine, all answered.
    assert data["peers"]["count"] == 8
    assert data["peers"]["band"] == "de 500 à 1 999 habitants"
    assert "Indice médian" in html

    # Action plan: every « non »/« nsp », with the status stored by the plan for one of them.
    assert data["actions_total"] == len(data["actions"]) > 5
    en_cours = [a for a in data["actions"] if a["status"] == "en_cours"]
    assert len(en_cours) == 1 and en_cours[0]["assignee"] == "Dominique"
    assert (
        "<div><dt>Statut</dt><dd>En cours</dd></div>\n<div><dt>Échéance</dt><dd>15/01/2027</dd>"
        "</div>\n<div><dt>Pilote</dt><dd>Dominique</dd></div>"
    ) in html
    weights = [
        {"prioritaire": 3, "necessaire": 2, "recommandee": 1}[a["priority"]]
        for a in data["actions"]
    ]
    assert weights == sorted(weights, reverse=True)


async def test_plan_filters_work_without_javascript(sqlite_world: World) -> None:
    world = sqlite_world
    base = world.url("c", "beauvoir", "member", "dominique")
    async with world.client() as client:
        everything = (await client.get("/api" + base)).json()
        only = (await client.get("/api" + base, params={"status": "en_cours"})).json()
        prio = (await client.get("/api" + base, params={"priority": "prioritaire"})).json()
        gov = (await client.get(base, params={"theme": "GOV"})).text
        unknown = (await client.get("/api" + base, params={"theme": "ZZZ"})).json()
        bad = await client.get(base, params={"status": "bidon"})
    assert [a["status"] for a in only["actions"]] == ["en_cours"]
    assert only["actions_total"] == everything["actions_total"]
    assert prio["actions"] and {a["priority"] for a in prio["actions"]} == {"prioritaire"}
    assert '<option value="GOV" selected>' in gov and "Tout afficher" in gov
    assert "· thème : Gouvernance</p>" in gov  # the printed handout says what it shows
    rows = re.findall(r"<div><dt>Thème</dt><dd>([^<]+)</dd></div>", gov)
    assert rows and set(rows) == {"Gouvernance"}
    assert (
        len(unknown["actions"]) == everything["actions_total"]
    )  # an unknown theme filters nothing
    assert bad.status_code == 422


def _refused(response_text: str) -> None:
    assert "Commune de Beauvoir" not in response_text
    assert "Indice" not in response_text


async def test_forged_altered_expired_and_cross_tenant_links_are_refused(
    sqlite_world: World,
) -> None:
    world = sqlite_world
    good = world.url("c", "beauvoir", "admin", "camille")
    token = good.removeprefix("/c/")
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    from web_summary.links import LinkSigner

    foreign = LinkSigner("another key", "http://x").token("c", world.places["beauvoir"], "admin")
    old = LinkSigner(world.secret, "http://x", clock=lambda: NOW.timestamp() - 25 * 3600)
    expired = old.token("c", world.places["beauvoir"], "admin", world.users["camille"])
    occitan = world.token("o", "occitan", "referent", "romane")
    lointain = world.token("o", "lointain", "referent", "lou")
    cases = {
        "forged": (f"/c/{foreign}", "pas valable"),
        "garbage": ("/c/abc.def", "pas valable"),
        "altered": (f"/c/{altered}", "pas valable"),
        "expired": (f"/c/{expired}", "a expiré"),
        "collectivité link on the OPSN page": (f"/o/{token}/", "pas valable"),
        "OPSN link on the collectivité page": (f"/c/{occitan}", "pas valable"),
        "another OPSN's collectivité": (
            f"/o/{lointain}/c/{world.places['beauvoir']}",
            "pas (ou plus)",
        ),
        "a pending request is not followed": (
            f"/o/{occitan}/c/{world.places['autreville']}",
            "pas (ou plus)",
        ),
        "a member link for another collectivité": (
            world.url("c", "peer0", "admin", "camille"),
            "pas (ou plus)",
        ),
    }
    async with world.client() as client:
        assert (await client.get(good)).status_code == 200
        for name, (path, words) in cases.items():
            html = await client.get(path)
            assert html.status_code == 403, name
            assert html.headers["content-type"].startswith("text/html"), name
            assert words in html.text and "/lien" in html.text, name
            _refused(html.text)
            api = await client.get("/api" + path.rstrip("/"))
            assert api.status_code == 403, name
            assert words in api.json()["detail"], name
            _refused(api.text)
        csv_denied = await client.get(f"/o/{token}/export.csv")
        assert csv_denied.status_code == 403


async def test_links_stop_working_when_the_person_leaves(world: World) -> None:
    member = world.url("c", "beauvoir", "member", "dominique")
    referent = world.url("o", "occitan", "referent", "romane")
    async with world.client() as client:
        assert (await client.get(member)).status_code == 200
        assert (await client.get(referent)).status_code == 200
        with world.sessions() as session, session.begin():
            people = SqlStore(session).people
            people.remove_member(world.places["beauvoir"], world.users["dominique"])
            session.execute(delete(Referent).where(Referent.user_id == world.users["romane"]))
        assert (await client.get(member)).status_code == 403
        assert (await client.get(referent)).status_code == 403
        # Operator links (ecoclic link) are bound to no person.
        assert (await client.get(world.url("o", "occitan", "operator"))).status_code == 200


async def test_issue16_a_link_follows_the_membership_not_the_active_collectivite(
    world: World,
) -> None:
    """Dominique joins Autreville too (now her active collectivité): her Beauvoir link still
    opens Beauvoir; it is leaving Beauvoir that revokes it."""
    member = world.url("c", "beauvoir", "member", "dominique")
    async with world.client() as client:
        with world.sessions() as session, session.begin():
            people = SqlStore(session).people
            uid = world.users["dominique"]
            assert people.add_member(world.places["autreville"], uid, Role.MEMBER, NOW)
            active = people.membership(uid)
            assert active is not None and active.collectivite.id == world.places["autreville"]
        assert (await client.get(member)).status_code == 200
        with world.sessions() as session, session.begin():
            SqlStore(session).people.remove_member(world.places["beauvoir"], uid)
        assert (await client.get(member)).status_code == 403


async def test_opsn_dashboard_lists_sorts_and_links(world: World) -> None:
    base = world.url("o", "occitan", "referent", "romane")
    async with world.client() as client:
        page = await client.get(base)
        by_index = (
            await client.get("/api" + base.rstrip("/"), params={"sort": "index", "order": "desc"})
        ).json()
        by_index_html = (await client.get(base, params={"sort": "index", "order": "desc"})).text
        followed = await client.get(f"{base}c/{world.places['peer3']}")
        without_slash = await client.get(base.rstrip("/"))
    assert page.status_code == 200
    html = page.text
    assert "<h1>Opérateur Occitan : tableau de bord</h1>" in html
    assert "7 collectivités suivies · 1 demande en attente" in html
    assert "Autreville" in html and "Lointaine" not in html
    indexes = [c["index"] for c in by_index["collectivites"]]
    assert indexes == sorted(indexes, reverse=True) and len(indexes) == 7
    assert 'aria-sort="descending"' in by_index_html
    assert 'href="?sort=index&amp;order=asc#t-suivies"' in by_index_html
    counts = {d["grade"]: d["count"] for d in by_index["distribution"]}
    e_to_a = [g.letter for g in sorted(world.ref.grades, key=lambda g: g.min)]
    assert list(counts) == [*e_to_a, "–"]  # E → A as everywhere, then « pas commencé »
    assert html.index("Lettre E</th>") < html.index("Lettre A</th>")
    assert "Lettres, de la moins à la plus avancée : E de 0 à" in html  # the scale, E → A
    assert sum(counts.values()) == 7 and counts["–"] == 0
    assert by_index["pending"][0]["name"] == "Autreville"
    assert followed.status_code == 200
    assert "<h1>Commune paire 3</h1>" in followed.text
    assert f'href="{base}"' in followed.text  # back to the dashboard
    assert f'<a href="c/{world.places["peer3"]}">Commune paire 3</a>' in html
    assert without_slash.status_code == 307 and without_slash.headers["location"].endswith(base)


async def test_csv_export_opens_in_french_spreadsheets(sqlite_world: World) -> None:
    world = sqlite_world
    base = world.url("o", "occitan", "referent", "romane")
    async with world.client() as client:
        response = await client.get(f"{base}export.csv", params={"sort": "name"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="ecoclic-occitan-' in response.headers["content-disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["SIRET", "Collectivité", "Type"]
    assert len(rows) == 8
    beauvoir = next(r for r in rows if r[1] == "Commune de Beauvoir")
    assert beauvoir[0] == "21310555400017" and beauvoir[2] == "Commune" and beauvoir[4] == "1200"
    assert beauvoir[7:9] == ["19", "35"] and beauvoir[9] == "54"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", beauvoir[10])


async def test_full_action_plan_page_is_small_and_self_contained(sqlite_world: World) -> None:
    world = sqlite_world
    """Quality bar: < 50 KB of HTML + CSS with every recommendation open, nothing fetched elsewhere."""
    with world.sessions() as session, session.begin():
        store = SqlStore(session)
        for q in world.ref.level_questions(1):
            worst = min(q.options, key=lambda o: o.credit).id if q.options else "non"
            store.answers.set(
                world.places["beauvoir"],
                q.id,
                worst,
                referential_version=world.ref.version,
                user_id=world.users["camille"],
                now=NOW,
            )
    async with world.client() as client:
        response = await client.get(world.url("c", "beauvoir", "admin", "camille"))
        data = (await client.get("/api" + world.url("c", "beauvoir", "admin", "camille"))).json()
    html = response.text
    assert data["actions_total"] == len(world.ref.level_questions(1))
    assert len(response.content) < 50_000, len(response.content)
    assert (
        "<script" not in html
        and " src=" not in html
        and "@import" not in html
        and "url(" not in html
    )
    # Every href stays on this server (relative), or is the empty data: favicon.
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("/", "#", "data:")), href
    # The stylesheet and the print footer, each allowed by its hash, and nothing else.
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 2 and "@bottom-left" in styles[1]
    digests = [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in styles]
    allowed = " ".join(f"'sha256-{d}'" for d in digests)
    assert f"style-src {allowed};" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["server-timing"].startswith("app;dur=")


async def test_health_home_and_unknown_pages(sqlite_world: World) -> None:
    world = sqlite_world
    async with world.client() as client:
        health = await client.get("/health")
        home = await client.get("/")
        missing = await client.get("/nulle-part")
        schema = await client.get("/openapi.json")
        docs = await client.get("/docs")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert home.status_code == 200 and "/lien" in home.text
    assert missing.status_code == 404 and "Page introuvable" in missing.text
    assert schema.status_code == 200 and "/api/c/{token}" in schema.json()["paths"]
    assert docs.status_code == 404  # Swagger UI would load scripts from a CDN


async def test_a_collectivite_that_has_not_started(sqlite_world: World) -> None:
    world = sqlite_world
    path = world.url("c", "autreville", "admin", "sam")
    async with world.client() as client:
        html = (await client.get(path)).text
        data = (await client.get("/api" + path)).json()
    assert data["peers"] is None and data["history"] == [] and data["actions_total"] == 0
    assert "dès que cinq autres collectivités du même type" in html
    assert "Pas encore d’historique" in html
    assert "Le plan d’actions est vide" in html
    assert "Aucune réponse pour l’instant" in html
