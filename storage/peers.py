"""Peer statistics kept incrementally: one counter per (kind, population band, index value).

Quartiles and the median of 36 000 collectivités then come from at most 101 rows, not from the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, case, select
from sqlalchemy.orm import Session

from storage.db import insert_or
from storage.models import PeerBin

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

BINS = cast(Table, PeerBin.__table__)

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
    """Move one collectivité from `old_index` to `new_index` (None = not counted: nothing answered).

    One upsert for both bins: the new one is created at 1 or counts one more, the old one counts
    one less (never below zero).
    """
    if old_index == new_index:
        return
    params: dict[str, Any] = {"b_kind": kind, "b_band": band_of(population)}
    if new_index is None or old_index is None:
        params["b_index"] = old_index if new_index is None else new_index
        params["b_count"] = 0 if new_index is None else 1
        session.execute(_upsert(session, 1), params)
    else:
        params["b_index"], params["b_old_index"] = new_index, old_index
        session.execute(_upsert(session, 2), params)


# The upserts of `move`, built once per (dialect, number of rows): one row (arriving or leaving)
# or two (arriving at the new index with count 1, leaving the old one with count 0).
_UPSERTS: dict[tuple[str, int], postgresql.Insert | sqlite.Insert] = {}


def _upsert(session: Session, rows: int) -> postgresql.Insert | sqlite.Insert:
    key = (session.get_bind().dialect.name, rows)
    found = _UPSERTS.get(key)
    if found is not None:
        return found
    c = BINS.c
    kind = bindparam("b_kind", type_=c["kind"].type)
    band = bindparam("b_band", type_=c["band"].type)
    values = [
        {
            "kind": kind,
            "band": band,
            "index": bindparam("b_index", type_=c["index"].type),
            "count": bindparam("b_count", type_=c["count"].type) if rows == 1 else 1,
        }
    ]
    if rows == 2:
        old = bindparam("b_old_index", type_=c["index"].type)
        values.append({"kind": kind, "band": band, "index": old, "count": 0})
    stmt = insert_or(session, BINS).values(values)
    count = c["count"]
    arriving = stmt.excluded["count"] == 1
    found = _UPSERTS[key] = stmt.on_conflict_do_update(
        index_elements=[c["kind"], c["band"], c["index"]],
        set_={"count": case((arriving, count + 1), (count > 0, count - 1), else_=0)},
    )
    return found


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
