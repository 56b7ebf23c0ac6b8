"""Peer statistics kept incrementally: one counter per (kind, population band, index value).

Quartiles and the median of 36 000 collectivités then come from at most 101 rows, not from the answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import PeerBin

# Lower bounds of the population bands: < 500, 500–1 999, 2 000–9 999, 10 000–49 999, 50 000–99 999, ≥ 100 000.
BANDS = (0, 500, 2_000, 10_000, 50_000, 100_000)
MIN_PEERS = 5  # below this, no comparison is shown: no single collectivité can be identified


def band_of(population: int) -> int:
    """Index (0–5) of the population band."""
    band = 0
    for i, lower in enumerate(BANDS):
        if population >= lower:
            band = i
    return band


def move(
    session: Session, kind: str, population: int, old_index: int | None, new_index: int | None
) -> None:
    """Move one collectivité from `old_index` to `new_index` (None = not counted: nothing answered)."""
    if old_index == new_index:
        return
    band = band_of(population)
    if old_index is not None:
        session.execute(
            update(PeerBin)
            .where(
                PeerBin.kind == kind,
                PeerBin.band == band,
                PeerBin.index == old_index,
                PeerBin.count > 0,
            )
            .values(count=PeerBin.count - 1)
        )
    if new_index is not None:
        row = session.get(PeerBin, (kind, band, new_index))
        if row is None:
            session.add(PeerBin(kind=kind, band=band, index=new_index, count=1))
        else:
            row.count += 1
    session.flush()


@dataclass(frozen=True)
class PeerStats:
    count: int
    q1: int
    median: int
    q3: int
    below: int  # peers with a lower index than the given one
    above: int


def _quantile(bins: list[tuple[int, int]], total: int, fraction: float) -> int:
    """Nearest-rank quantile over (index, count) bins sorted by index."""
    rank = max(1, int(-(-fraction * total // 1)))  # ceil
    seen = 0
    for index, count in bins:
        seen += count
        if seen >= rank:
            return index
    return bins[-1][0]


def stats(session: Session, kind: str, population: int, index: int) -> PeerStats | None:
    """Comparison figures for a collectivité of this kind and size; None when fewer than 5 peers."""
    rows = session.execute(
        select(PeerBin.index, PeerBin.count)
        .where(PeerBin.kind == kind, PeerBin.band == band_of(population), PeerBin.count > 0)
        .order_by(PeerBin.index)
    )
    bins = [(i, c) for i, c in rows.all()]
    total = sum(c for _, c in bins)
    if total < MIN_PEERS:
        return None
    return PeerStats(
        count=total,
        q1=_quantile(bins, total, 0.25),
        median=_quantile(bins, total, 0.5),
        q3=_quantile(bins, total, 0.75),
        below=sum(c for i, c in bins if i < index),
        above=sum(c for i, c in bins if i > index),
    )
