"""Indicators on the pages (issue 13): the collectivité's section, the OPSN's quartiles (only from
five collectivités), the CSV columns; and the cut-down calculation giving the referential's values."""

from __future__ import annotations

import csv
import io
import random
import statistics
from decimal import Decimal

from referential.indicators import compute_all
from referential.models import Referential
from referential.numbers import format_french
from storage.store import SqlStore
from tests.helpers.web import NOW, World
from web_summary.indicators import calculator

LOUE = "Part du matériel numérique loué"
PEERS = [f"peer{i}" for i in range(6)]


def answer(world: World, place: str, values: dict[str, str]) -> None:
    with world.sessions() as session, session.begin():
        store = SqlStore(session)
        for qid, value in values.items():
            store.answers.set(
                world.places[place],
                qid,
                value,
                referential_version=world.ref.version,
                user_id=world.users["camille"],
                now=NOW,
            )


def rented(world: World, place: str, rented: int, computers: int, screens: int = 0) -> None:
    answer(
        world, place, {"ACH2-08": str(rented), "PAR2-01": str(computers), "PAR2-02": str(screens)}
    )


async def test_collectivite_page_lists_indicators(world: World) -> None:
    rented(world, "beauvoir", 10, 30, 10)
    # Réforme: 8 devices of under ten years left, 5 of them reused: 62,5 % ≥ 50 %.
    answer(world, "beauvoir", {"PAR2-07": "12", "PAR2-08": "8", "PAR2-09": "5"})
    url = world.url("c", "beauvoir", "admin", "camille")
    async with world.client() as client:
        html = (await client.get(url)).text
        data = (await client.get("/api" + url)).json()
    by_id = {i["id"]: i for i in data["indicators"]}
    assert len(by_id) == len(world.ref.indicators)
    loue = by_id["part-materiel-loue"]
    assert loue["value"] == 25 and loue["display"] == format_french(Decimal(25), "%")
    assert f'<td class="num" data-label="Valeur">{loue["display"]}</td>' in html and LOUE in html
    reforme = by_id["part-reforme-reemploi"]
    assert reforme["display"] == format_french(Decimal("62.5"), "%") and reforme["met"] is True
    assert "au moins " + reforme["threshold"] + " : <strong>atteint</strong>" in html
    # Not computable: says which answers are missing.
    durée = by_id["duree-usage-ordinateurs"]
    assert durée["value"] is None and [m["question_id"] for m in durée["missing"]] == ["PAR2-03"]
    assert "non calculable : il manque la réponse à PAR2-03" in html
    sorties = by_id["part-sorties-tracees"]
    assert sorties["value"] is None and sorties["missing"] == [
        {"question_id": "PAR2-10", "text": world.ref.question("PAR2-10").text}
    ]


async def test_dashboard_quartiles_need_five_collectivites(world: World) -> None:
    base = world.url("o", "occitan", "referent", "romane")
    values = [(10, 40), (5, 50), (0, 20), (30, 60)]
    for place, (r, total) in zip(["beauvoir", *PEERS], values, strict=False):
        rented(world, place, r, total)
    async with world.client() as client:
        four = (await client.get("/api" + base.rstrip("/"))).json()
        html = (await client.get(base)).text
    stat = next(s for s in four["indicator_stats"] if s["id"] == "part-materiel-loue")
    assert stat["count"] == 4 and stat["median"] is None and stat["q1"] is None
    assert "moins de cinq collectivités : pas de statistique" in html

    rented(world, "peer4", 1, 4)  # a fifth: quartiles appear
    async with world.client() as client:
        five = (await client.get("/api" + base.rstrip("/"))).json()
        html = (await client.get(base)).text
    stat = next(s for s in five["indicator_stats"] if s["id"] == "part-materiel-loue")
    shares = [100 * r / t for r, t in [*values, (1, 4)]]
    assert statistics.quantiles(shares, n=4, method="inclusive") == [10, 25, 25]
    assert stat["count"] == 5
    assert [stat["q1"], stat["median"], stat["q3"]] == [
        format_french(Decimal(v), "%") for v in (10, 25, 25)
    ]
    assert f'<td class="num" data-label="Médiane">{stat["median"]}</td>' in html
    # Each row carries its values, in the order of indicator_stats.
    column = [s["id"] for s in five["indicator_stats"]].index("part-materiel-loue")
    by_name = {c["name"]: c["indicators"][column] for c in five["collectivites"]}
    assert by_name["Commune de Beauvoir"] == 25 and by_name["Commune paire 5"] is None
    # Lointain's dashboard counts only its own collectivité.
    async with world.client() as client:
        far = (
            await client.get("/api" + world.url("o", "lointain", "referent", "lou").rstrip("/"))
        ).json()
    assert all(s["count"] == 0 for s in far["indicator_stats"])


async def test_csv_has_indicator_columns(sqlite_world: World) -> None:
    world = sqlite_world
    rented(world, "beauvoir", 1, 3)
    base = world.url("o", "occitan", "referent", "romane")
    async with world.client() as client:
        raw = (await client.get(f"{base}export.csv")).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[11:] == [f"{i.title} ({i.unit})" for i in world.ref.indicators]
    column = header.index(f"{LOUE} (%)")
    beauvoir = next(r for r in rows if r[1] == "Commune de Beauvoir")
    assert beauvoir[column] == "33,3"
    assert all(len(r) == len(header) for r in rows)
    assert next(r for r in rows if r[1] == "Commune paire 0")[column] == ""


def test_cut_referential_gives_the_same_values(referential: Referential) -> None:
    calc = calculator(referential)
    rng = random.Random(13)
    numeric = [q for q in referential.questions if q.id in calc.question_ids]
    for _ in range(200):
        answers: dict[str, str] = {}
        for q in numeric:
            pick = rng.random()
            if pick < 0.6 and q.options:
                answers[q.id] = rng.choice(q.options).id
            elif pick < 0.6 and q.answer_type.value == "yes_no":
                answers[q.id] = rng.choice(["oui", "non"])
            elif pick < 0.6:
                answers[q.id] = str(rng.randint(0, 50))
            elif pick < 0.7:
                answers[q.id] = "nsp"
            elif pick < 0.8 and q.not_applicable:
                answers[q.id] = "nc"
        answers["GOV-01"] = "oui"  # an answer no indicator reads changes nothing
        assert calc.values(answers) == compute_all(referential, answers)
