"""Contract of `store.answers.area_averages`: département, région, France and OPSN averages, each
only over groups with at least five others than the asking collectivité, never naming one."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dialogs.parsing import DEPARTEMENTS
from dialogs.ports import Transaction
from dialogs.records import (
    AreaAverages,
    AttachmentStatus,
    GroupAverage,
    NewCollectivite,
    ScoreRecord,
)
from storage.regions import departements_of, region_of
from tests.helpers.contract import NOW, person
from tests.helpers.db import StoreBackend


@dataclass
class Territory:
    """Ids of the collectivités made by `territory`, by département."""

    by_dep: dict[str, list[int]]
    silent: int  # in 2A, never answered
    names: list[str]


def territory(tx: Transaction) -> Territory:
    """2A: six answered (10…60) and one silent; 2B: four answered (80); 974: three (50).
    OPSN « Opérateur Corse » follows 2A's 2nd to 6th and 974's first; 2B's first only asked."""
    made: dict[str, list[int]] = {}
    names: list[str] = []
    n = 0

    def make(dep: str, index: int | None) -> int:
        nonlocal n
        n += 1
        admin = person(tx, f"u{n}")
        name = f"Commune secrète {n}"
        names.append(name)
        new = NewCollectivite(
            siret=f"2100000000{n:04d}", kind="commune", name=name, departement=dep, population=900
        )
        cid = tx.store.people.create_collectivite(new, admin, NOW).id
        if index is not None:
            score = ScoreRecord(index, "C", 10, 32)
            tx.store.answers.record_score(cid, score, user_id=admin, now=NOW)
        return cid

    for dep, indexes in (("2A", [10, 20, 30, 40, 50, 60]), ("2B", [80] * 4), ("974", [50] * 3)):
        made[dep] = [make(dep, i) for i in indexes]
    silent = make("2A", None)
    opsn = tx.store.opsn
    corse, _ = opsn.save_opsn("corse", "Opérateur Corse", ("2A", "2B"), NOW)
    referent = person(tx, "referent")
    for cid in [*made["2A"][1:], made["974"][0]]:
        asked = opsn.request_attachment(cid, corse.id, referent, NOW)
        assert opsn.decide_attachment(asked.id, True, referent, NOW)
    opsn.request_attachment(made["2B"][0], corse.id, referent, NOW)  # pending: not counted
    return Territory(made, silent, names)


class TestAreaAveragesContract:
    def test_groups_of_five_others_or_more_only(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            t = territory(tx)
            of = tx.store.answers.area_averages
            national = GroupAverage("", (210 + 320 + 150) / 13, 13)
            corse = GroupAverage("Corse", 530 / 10, 10)
            # 2A's first: five others in 2A; not followed by the OPSN
            first = of(t.by_dep["2A"][0])
            assert first == AreaAverages(
                departement=GroupAverage("2A", 35.0, 6), region=corse, national=national
            )
            # followed by the OPSN: 2A's five and 974's one
            followed = of(t.by_dep["2A"][1])
            assert followed.opsn == GroupAverage("Opérateur Corse", (200 + 50) / 6, 6)
            # 2B counts four: its own average is omitted, not its région's
            in_2b = of(t.by_dep["2B"][1])
            assert (in_2b.departement, in_2b.region) == (None, corse)
            # the pending request does not make 2B's first one of the OPSN's
            assert of(t.by_dep["2B"][0]).opsn is None
            # overseas: 974 and La Réunion count three; France and the OPSN (5 others) show
            reunion = of(t.by_dep["974"][0])
            assert reunion == AreaAverages(
                national=national, opsn=GroupAverage("Opérateur Corse", 250 / 6, 6)
            )
            # one that never answered is not counted, and five others are enough
            assert of(t.silent).departement == GroupAverage("2A", 35.0, 6)
            assert of(max(t.by_dep["974"]) + 1000) == AreaAverages()
            everything = repr([of(cid) for ids in t.by_dep.values() for cid in ids])
            assert not any(name in everything for name in t.names)

        backend.db.run(work)

    def test_an_ended_attachment_leaves_the_opsn_group(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            t = territory(tx)
            opsn = tx.store.opsn
            leaving = opsn.open_attachment(t.by_dep["2A"][5])
            assert leaving is not None
            assert opsn.close_attachment(leaving.id, AttachmentStatus.ENDED, leaving.opsn_id, NOW)
            assert tx.store.answers.area_averages(t.by_dep["2A"][1]).opsn is None  # 4 others
            assert tx.store.answers.area_averages(t.by_dep["2A"][5]).opsn is None

        backend.db.run(work)


@pytest.mark.parametrize("departement", sorted(DEPARTEMENTS))
def test_every_departement_but_saint_pierre_has_its_region(departement: str) -> None:
    region = region_of(departement)
    if departement == "975":  # Saint-Pierre-et-Miquelon is a collectivity, not a région
        assert region is None
    else:
        assert region is not None and departement in departements_of(region)


def test_the_regions_of_2016() -> None:
    regions = {region_of(d) for d in DEPARTEMENTS} - {None}
    assert len(regions) == 18
    assert (region_of("2A"), region_of("2B"), region_of("976")) == ("Corse", "Corse", "Mayotte")
    assert region_of("31") == "Occitanie" and region_of("974") == "La Réunion"
    assert len(departements_of("Occitanie")) == 13
