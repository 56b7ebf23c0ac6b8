"""Area averages on the collectivité page and in its JSON: only groups with five others, no name."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Collectivite
from tests.helpers.web import World


async def test_beauvoir_sees_its_territory_and_opsn(world: World) -> None:
    with world.sessions() as session:
        rows = session.execute(
            select(Collectivite.name, Collectivite.departement, Collectivite.current_index).where(
                Collectivite.answered_count > 0
            )
        ).all()
    in_31 = [i for _, d, i in rows if d == "31"]
    everyone = [i for _, _, i in rows]
    assert len(in_31) == 7 and len(everyone) == 8  # Beauvoir, six peers; Lointaine in 60
    url = world.url("c", "beauvoir", "admin", "camille")
    async with world.client() as client:
        html = (await client.get(url)).text
        data = (await client.get("/api" + url)).json()
    scopes = [(a["scope"], a["label"], a["count"]) for a in data["averages"]]
    assert scopes == [
        ("departement", "31", 7),
        ("region", "Occitanie", 7),
        ("national", "", 8),
        ("opsn", "Opérateur Occitan", 7),  # Autreville only asked, and answered nothing
    ]
    assert data["averages"][2]["average"] == round(sum(everyone) / 8, 1)
    assert data["averages"][0]["index"] == int(sum(in_31) / 7 + 0.5)
    assert "Moyennes par territoire" in html
    assert f"Département (31) : <strong>{data['averages'][0]['index']}</strong>/100" in html
    assert "Région Occitanie" in html and "Collectivités de votre OPSN (Opérateur Occitan)" in html
    section = html[html.index("t-moyennes") : html.index("t-plan")]
    for name, _, _ in rows:
        if name != "Commune de Beauvoir":
            assert name not in section


async def test_lointaine_alone_in_its_area_sees_only_france(world: World) -> None:
    url = world.url("c", "lointaine", "admin")
    async with world.client() as client:
        html = (await client.get(url)).text
        data = (await client.get("/api" + url)).json()
    # alone in Oise, in Hauts-de-France and with its OPSN: only France (seven others) shows
    assert [(a["scope"], a["count"]) for a in data["averages"]] == [("national", 8)]
    assert "France : <strong>" in html and "Département (60)" not in html
    assert "Hauts-de-France" not in html
