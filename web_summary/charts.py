"""Small inline SVG charts, as pure functions of numbers.

No script, no image request: each chart is a few hundred bytes of SVG inside the page, coloured by
the page's stylesheet (classes, never inline styles, so the CSP stays strict). Every chart has a
<title> and <desc> saying its numbers; the pages also print them as text or in a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

Threshold = tuple[str, int]  # (letter, lowest index earning it)


def _svg(ident: str, view_box: str, title: str, desc: str, body: str, css: str) -> Markup:
    return Markup(
        f'<svg class="{css}" viewBox="{view_box}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def _n(value: float) -> str:
    """Compact coordinates: 12.0 -> "12", 12.345 -> "12.3"."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar(percent: int) -> Markup:
    """A decorative horizontal bar for a table cell; the number beside it is the content."""
    width = max(0, min(100, percent))
    return Markup(
        '<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect class="track" width="100" height="8"/>'
        f'<rect class="fill" width="{width}" height="8"/></svg>'
    )


def segments(thresholds: Sequence[Threshold]) -> list[tuple[str, int, int]]:
    """(letter, low, high) of each grade from the lowest, e.g. ("D", 20, 39)."""
    ordered = sorted(thresholds, key=lambda item: item[1])
    return [
        (letter, low, (ordered[i + 1][1] - 1) if i + 1 < len(ordered) else 100)
        for i, (letter, low) in enumerate(ordered)
    ]


def gauge(ident: str, index: int, grade: str, thresholds: Sequence[Threshold]) -> Markup:
    """The 0–100 scale cut into grade segments, with a marker at the index."""
    width, left = 300.0, 0.0
    body = []
    for letter, low, high in segments(thresholds):
        x0, x1 = left + width * low / 100, left + width * (high + 1) / 100
        x1 = min(x1, width)
        body.append(
            f'<rect class="seg seg-{escape(letter)}" x="{_n(x0)}" y="14" '
            f'width="{_n(x1 - x0)}" height="18"/>'
            f'<text class="seg-label" x="{_n((x0 + x1) / 2)}" y="27" text-anchor="middle">'
            f"{escape(letter)}</text>"
        )
    x = left + width * max(0, min(100, index)) / 100
    # A pointer above the scale only: a line across it would hide the segment's letter.
    body.append(f'<path class="marker" d="M{_n(x)} 13 l-7 -12 h14 z"/>')
    ranges = ", ".join(f"{letter} de {low} à {high}" for letter, low, high in segments(thresholds))
    return _svg(
        ident,
        "-8 0 316 36",
        f"Indice {index} sur 100, lettre {grade}",
        f"Échelle des lettres : {ranges}.",
        "".join(body),
        "gauge",
    )


def history(ident: str, points: Sequence[tuple[date, int]], fmt: Callable[[date], str]) -> Markup:
    """Line chart of the index over time (x proportional to dates, y from 0 to 100)."""
    x0, x1, y0, y1 = 44.0, 470.0, 10.0, 150.0  # plot area inside a 480 × 180 view box

    def y(value: int) -> float:
        return y1 - (y1 - y0) * value / 100

    grid = "".join(
        f'<line class="grid" x1="{_n(x0)}" x2="{_n(x1)}" y1="{_n(y(v))}" y2="{_n(y(v))}"/>'
        f'<text class="tick" x="{_n(x0 - 6)}" y="{_n(y(v) + 4)}" text-anchor="end">{v}</text>'
        for v in (0, 25, 50, 75, 100)
    )
    if not points:
        return _svg(
            ident, "0 0 480 180", "Évolution de l’indice", "Pas encore d’historique.", grid, "chart"
        )
    first, last = points[0][0], points[-1][0]
    span = (last - first).days

    def x(day: date) -> float:
        return (x0 + x1) / 2 if span == 0 else x0 + (x1 - x0) * (day - first).days / span

    coords = [(x(day), y(value)) for day, value in points]
    line = " ".join(f"{_n(px)},{_n(py)}" for px, py in coords)
    dots = "".join(f'<circle class="dot" cx="{_n(px)}" cy="{_n(py)}" r="3"/>' for px, py in coords)
    labels = f'<text class="tick" x="{_n(x0)}" y="172">{escape(fmt(first))}</text>'
    if span:
        labels += (
            f'<text class="tick" x="{_n(x1)}" y="172" text-anchor="end">{escape(fmt(last))}</text>'
        )
    body = grid + f'<polyline class="line" points="{line}"/>' + dots + labels
    desc = (
        f"Indice {points[0][1]} le {fmt(first)}, {points[-1][1]} le {fmt(last)} "
        f"({len(points)} point{'s' if len(points) > 1 else ''})."
    )
    return _svg(ident, "0 0 480 180", "Évolution de l’indice de maturité", desc, body, "chart")


def peers(
    ident: str, index: int, q1: int, median: int, q3: int, count: int, started: bool = True
) -> Markup:
    """Box from the first to the third quartile, the median, and the collectivité's own index."""
    x0, x1 = 20.0, 460.0

    def x(value: int) -> float:
        return x0 + (x1 - x0) * max(0, min(100, value)) / 100

    ticks = "".join(
        f'<line class="axis" x1="{_n(x(v))}" x2="{_n(x(v))}" y1="62" y2="67"/>'
        f'<text class="tick" x="{_n(x(v))}" y="80" text-anchor="middle">{v}</text>'
        for v in (0, 25, 50, 75, 100)
    )
    body = (
        f'<line class="axis" x1="{_n(x0)}" x2="{_n(x1)}" y1="62" y2="62"/>{ticks}'
        f'<rect class="box" x="{_n(x(q1))}" y="34" width="{_n(max(x(q3) - x(q1), 2))}" height="22"/>'
        f'<rect class="median" x="{_n(x(median) - 1.5)}" y="30" width="3" height="30"/>'
    )
    mine = ""
    if started:
        body += (
            f'<path class="marker" d="M{_n(x(index))} 30 l-6 -10 h12 z"/>'
            f'<text class="tick" x="{_n(x(index))}" y="14" text-anchor="middle">Vous : {index}</text>'
        )
        mine = f"Votre indice : {index}. "
    desc = (
        f"{mine}Médiane : {median}. Premier quartile : {q1}, troisième quartile : {q3}, "
        f"sur {count} collectivités comparables."
    )
    return _svg(
        ident, "0 0 480 86", "Votre indice parmi les collectivités comparables", desc, body, "chart"
    )


def distribution(ident: str, counts: Sequence[tuple[str, int]]) -> Markup:
    """Vertical bars: how many collectivités have each letter."""
    top = max((n for _, n in counts), default=0) or 1
    step, width, base = 64.0, 40.0, 130.0
    body = [
        f'<line class="axis" x1="0" x2="{_n(step * len(counts))}" y1="{_n(base)}" y2="{_n(base)}"/>'
    ]
    for i, (label, n) in enumerate(counts):
        h = 100 * n / top
        x = 12 + step * i
        body.append(
            f'<rect class="fill" x="{_n(x)}" y="{_n(base - h)}" width="{_n(width)}" height="{_n(h)}"/>'
            f'<text class="tick" x="{_n(x + width / 2)}" y="{_n(base - h - 4)}" text-anchor="middle">{n}</text>'
            f'<text class="tick" x="{_n(x + width / 2)}" y="{_n(base + 16)}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    desc = " ; ".join(f"{label} : {n}" for label, n in counts) + "."
    return _svg(
        ident,
        f"0 0 {_n(step * len(counts))} 152",
        "Répartition des collectivités par lettre",
        desc,
        "".join(body),
        "chart dist",
    )
