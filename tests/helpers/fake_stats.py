"""Area averages of the fake store, computed from its rows as `storage.area_stats` does in SQL."""

from __future__ import annotations

from dialogs.records import AreaAverages, AttachmentStatus, GroupAverage
from storage.peers import MIN_PEERS
from storage.regions import region_of
from tests.helpers.fake_data import Row, Tables


def area_averages(t: Tables, collectivite_id: int) -> AreaAverages:
    own = t.get("collectivites", collectivite_id)
    if own is None:
        return AreaAverages()
    answered = [row for row in t.rows("collectivites") if row["answered_count"] > 0]
    itself = 1 if own["answered_count"] > 0 else 0

    def group(label: str, rows: list[Row]) -> GroupAverage | None:
        if len(rows) - itself < MIN_PEERS:
            return None
        total = sum(row["current_index"] for row in rows)
        return GroupAverage(label=label, average=total / len(rows), count=len(rows))

    departement = own["departement"]
    region = region_of(departement)
    accepted = AttachmentStatus.ACCEPTED
    attachment = t.one("attachments", collectivite_id=collectivite_id, status=accepted)
    opsn = None
    if attachment is not None:
        opsn_row = t.get("opsn", attachment["opsn_id"])
        followed = {
            a["collectivite_id"]
            for a in t.where("attachments", opsn_id=attachment["opsn_id"], status=accepted)
        }
        opsn = group(
            opsn_row["name"] if opsn_row else "", [r for r in answered if r["id"] in followed]
        )
    return AreaAverages(
        departement=group(departement, [r for r in answered if r["departement"] == departement]),
        region=group(region, [r for r in answered if region_of(r["departement"]) == region])
        if region
        else None,
        national=group("", answered),
        opsn=opsn,
    )
