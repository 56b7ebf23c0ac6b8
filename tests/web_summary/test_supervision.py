"""The supervision page an OPSN's dashboard links to: the chat's supervision content, for the
referents of the OPSN that follows the collectivité only."""

from __future__ import annotations

from datetime import date

from storage.store import SqlStore
from tests.helpers.web import NOW, World
from tests.web_summary.test_indicators import answer

NNBSP = "\u202f"
NBSP = "\xa0"


async def test_referent_reads_the_supervision_page(world: World) -> None:
    answer(world, "beauvoir", {"PAR2-01": "1200", "PAR2-04": "nc", "PAR2-02": "nsp"})
    with world.sessions() as session, session.begin():
        plan = SqlStore(session).plan
        item = plan.create_item(world.places["beauvoir"], "GOV-03", actor_id=None, now=NOW)
        plan.update_item(item.id, {"due_date": date(2026, 1, 5)}, actor_id=None, now=NOW)
    base = world.url("o", "occitan", "referent", "romane")
    async with world.client() as client:
        dashboard = (await client.get(base)).text
        page = await client.get(f"{base}c/{world.places['beauvoir']}/fiche")
    assert f'<a href="c/{world.places["beauvoir"]}/fiche"' in dashboard
    assert page.status_code == 200
    html = page.text
    assert "<h1>Commune de Beauvoir : fiche de suivi</h1>" in html
    assert f"SIRET 21310555400017 · département 31 · 1{NNBSP}200 habitants" in html
    assert "Niveau 2 : 3 réponses sur" in html
    assert f'<td data-label="Réponse">1{NNBSP}200{NBSP}appareils</td>' in html
    assert (
        '<td data-label="Réponse">Non concerné</td>' in html
        and '<td data-label="Réponse">Je ne sais pas</td>' in html
    )
    assert "pas de réponse" in html  # level-2 questions not answered
    assert "Actions en retard (1)" in html and "5 janvier 2026" in html
    assert "En cours 1" in html and "À faire 1" in html
    for theme in world.ref.themes:
        assert f'id="r-{theme.id}"' in html
    assert "<script" not in html and len(page.content) < 60_000, len(page.content)


async def test_supervision_page_refusals(world: World) -> None:
    beauvoir, autreville = world.places["beauvoir"], world.places["autreville"]
    occitan = world.url("o", "occitan", "referent", "romane")
    cases = [
        world.url("o", "lointain", "referent", "lou") + f"c/{beauvoir}/fiche",  # another OPSN
        occitan + f"c/{world.places['lointaine']}/fiche",  # a collectivité it does not follow
        occitan + f"c/{autreville}/fiche",  # a pending request only
        "/o/" + world.token("c", "beauvoir", "admin", "camille") + f"/c/{beauvoir}/fiche",
        f"/o/invente/c/{beauvoir}/fiche",
    ]
    async with world.client() as client:
        for path in cases:
            response = await client.get(path)
            assert response.status_code == 403, path
            assert "Tableau de bord" not in response.text and "SIRET" not in response.text
