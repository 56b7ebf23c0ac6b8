"""Migration 0002 (referential 2.0.0): answers stay where they are, scores and peer bins are
recomputed with the shipped referential. Run on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from referential.loader import default_referential
from referential.scoring import score
from storage.db import create_engine, upgrade
from storage.models import Answer, Collectivite, PeerBin, ScoreSnapshot
from storage.peers import band_of
from tests.helpers.db import BACKENDS, create_postgres_database, drop_postgres_database

THEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
# Under 1.0.0: every level-1 question of 1.0.0 answered « oui » (ACH-01 « plus20 »), the two
# retired questions included, with the denormalised score of that time.
V1_ANSWERS = {
    **{
        f"{theme}-0{n}": "oui"
        for theme in ("GOV", "SEN", "PAR", "RES", "USA", "ECO", "EDI")
        for n in range(1, 5)
    },
    **{f"ACH-0{n}": "oui" for n in range(2, 5)},
    "ACH-01": "plus20",
}


@pytest.fixture(params=BACKENDS)
def url_at_0001(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/v1.sqlite3"
    else:
        url = create_postgres_database()
    upgrade(url, "0001")
    yield url
    if request.param == "postgresql":
        drop_postgres_database(url)


def _collectivite(cid: int, population: int, answered: int, index: int) -> dict[str, Any]:
    return {
        "id": cid,
        "siret": f"2131055540{cid:04d}",
        "kind": "commune",
        "name": f"Commune {cid}",
        "departement": "31",
        "population": population,
        "current_index": index,
        "current_grade": "A" if index >= 80 else "E",
        "answered_count": answered,
        "referential_version": "1.0.0",
        "created_at": THEN,
        "last_activity_at": THEN,
    }


def _seed(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            insert(Collectivite),
            [
                _collectivite(1, 1200, 32, 100),  # answered everything under 1.0.0
                _collectivite(2, 1500, 2, 100),  # two answers, one to a retired question
                _collectivite(3, 800, 0, 0),  # nothing answered
            ],
        )
        rows = [(1, qid, value) for qid, value in V1_ANSWERS.items()]
        rows += [(2, "RES-01", "oui"), (2, "GOV-01", "oui")]
        connection.execute(
            insert(Answer),
            [
                {
                    "collectivite_id": cid,
                    "question_id": qid,
                    "referential_version": "1.0.0",
                    "value": value,
                    "answered_by": None,
                    "answered_at": THEN,
                }
                for cid, qid, value in rows
            ],
        )
        connection.execute(
            insert(PeerBin), [{"kind": "commune", "band": band_of(1200), "index": 100, "count": 2}]
        )
    engine.dispose()


def test_upgrade_keeps_answers_and_rescores(url_at_0001: str) -> None:
    _seed(url_at_0001)
    upgrade(url_at_0001)
    ref = default_referential()
    engine = create_engine(url_at_0001)
    with engine.connect() as connection:
        answers = connection.execute(
            select(
                Answer.collectivite_id, Answer.question_id, Answer.value, Answer.referential_version
            )
        ).all()
        collectivites = {
            row.id: row
            for row in connection.execute(
                select(
                    Collectivite.id,
                    Collectivite.current_index,
                    Collectivite.current_grade,
                    Collectivite.answered_count,
                )
            )
        }
        bins = connection.execute(
            select(PeerBin.kind, PeerBin.band, PeerBin.index, PeerBin.count).order_by(
                PeerBin.band, PeerBin.index
            )
        ).all()
        snapshots = connection.execute(
            select(
                ScoreSnapshot.collectivite_id, ScoreSnapshot.answered, ScoreSnapshot.total
            ).order_by(ScoreSnapshot.collectivite_id)
        ).all()
    engine.dispose()

    # No answer moved nor was lost, retired ones included; each keeps the version it was given under.
    assert len(answers) == len(V1_ANSWERS) + 2
    assert {version for *_, version in answers} == {"1.0.0"}
    assert (2, "RES-01", "oui", "1.0.0") in [tuple(row) for row in answers]

    first = score(ref, V1_ANSWERS)
    assert first.progress.answered == 30 and first.progress.total == 35  # 32 − 2 retired
    assert (collectivites[1].current_index, collectivites[1].answered_count) == (
        first.index,
        30,
    )
    assert collectivites[1].current_grade == first.grade
    second = score(ref, {"GOV-01": "oui", "RES-01": "oui"})
    assert (collectivites[2].current_index, collectivites[2].answered_count) == (second.index, 1)
    assert (collectivites[3].current_index, collectivites[3].answered_count) == (0, 0)

    expected_bins = sorted(
        [("commune", band_of(1200), first.index, 1), ("commune", band_of(1500), second.index, 1)],
        key=lambda row: (row[1], row[2]),
    )
    assert [tuple(row) for row in bins] == expected_bins
    assert [tuple(row) for row in snapshots] == [(1, 30, 35), (2, 1, 35)]


def test_upgrade_of_an_empty_database(url_at_0001: str) -> None:
    upgrade(url_at_0001)
    engine = create_engine(url_at_0001)
    with engine.connect() as connection:
        assert connection.execute(select(PeerBin.kind)).all() == []
    engine.dispose()
