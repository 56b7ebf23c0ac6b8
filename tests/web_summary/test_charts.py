"""Charts are well-formed SVG that state their numbers in words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from web_summary import charts

SVG = "{http://www.w3.org/2000/svg}"
GRADES = [("A", 80), ("B", 60), ("C", 40), ("D", 20), ("E", 0)]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> tuple[str, str]:
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return title.text or "", desc.text or ""


def test_gauge_segments_and_marker() -> None:
    root = parse(charts.gauge("g", 34, "D", GRADES))
    title, desc = texts(root)
    assert title == "Indice 34 sur 100, lettre D"
    assert "D de 20 à 39" in desc and "A de 80 à 100" in desc
    segments = [r for r in root.iter(f"{SVG}rect") if "seg" in (r.get("class") or "")]
    assert [float(r.get("width") or 0) for r in segments] == [60, 60, 60, 60, 60]
    assert charts.segments(GRADES)[0] == ("E", 0, 19)


def test_history_scales_dates_and_says_first_and_last() -> None:
    points = [(date(2026, 1, 1), 10), (date(2026, 1, 11), 40), (date(2026, 1, 21), 55)]
    root = parse(charts.history("h", points, lambda d: d.isoformat()))
    _title, desc = texts(root)
    assert desc == "Indice 10 le 2026-01-01, 55 le 2026-01-21 (3 points)."
    line = root.find(f"{SVG}polyline")
    assert line is not None
    xs = [float(p.split(",")[0]) for p in (line.get("points") or "").split()]
    assert xs[1] - xs[0] == xs[2] - xs[1]  # ten days each
    single = parse(charts.history("h", points[:1], str))
    assert "1 point)" in texts(single)[1]
    assert "Pas encore" in texts(parse(charts.history("h", [], str)))[1]


def test_peers_box_and_position() -> None:
    root = parse(charts.peers("p", 34, 20, 40, 60, 12))
    _title, desc = texts(root)
    assert desc == (
        "Votre indice : 34. Médiane : 40. Premier quartile : 20, troisième quartile : 60, "
        "sur 12 collectivités comparables."
    )
    not_started = parse(charts.peers("p", 0, 20, 40, 60, 12, started=False))
    assert "Vous" not in ET.tostring(not_started, encoding="unicode")


def test_distribution_and_bar_clamp() -> None:
    root = parse(charts.distribution("d", [("A", 1), ("B", 0), ("C", 4)]))
    assert texts(root)[1] == "A : 1 ; B : 0 ; C : 4."
    heights = [float(r.get("height") or 0) for r in root.iter(f"{SVG}rect")]
    assert heights == [25, 0, 100]
    bar = parse(charts.bar(140))
    assert bar.get("aria-hidden") == "true"
    assert [r.get("width") for r in bar.iter("rect")] == ["100", "100"]


def test_text_is_escaped() -> None:
    root = parse(charts.distribution("d", [("<b>&", 2)]))
    assert texts(root)[1] == "<b>& : 2."
