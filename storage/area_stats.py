"""Average indexes by département, région, France and OPSN, as Éco-clic shows them.

Two statements, none reading all 36 000 collectivités: the collectivité's département and OPSN (one
indexed read), then one UNION ALL of three small aggregates — its région's collectivités (index on
`departement`; the département's figures come from the same rows), France from the peer bins (at
most a few thousand counters, kept by `storage.peers`, which count exactly the collectivités that
answered), and the OPSN's followed ones (index on `attachments.opsn_id`). Only groups with at least
five others than the asking collectivité are returned (the rule of `storage.peers`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from dialogs.records import AreaAverages, AttachmentStatus, GroupAverage
from storage.models import Attachment, Collectivite, Opsn, PeerBin
from storage.peers import MIN_PEERS
from storage.regions import departements_of, region_of

_K = Collectivite
_ACCEPTED = AttachmentStatus.ACCEPTED.value

_OWN = (
    select(_K.departement, _K.answered_count, Opsn.id, Opsn.name)
    .outerjoin(
        Attachment,
        and_(Attachment.collectivite_id == _K.id, Attachment.status == _ACCEPTED),
    )
    .outerjoin(Opsn, Opsn.id == Attachment.opsn_id)
)
_NATIONAL = select(
    literal("n"),
    func.sum(PeerBin.count),
    func.sum(PeerBin.index * PeerBin.count),
    literal(0),
    literal(0),
)


def _area(departement: str, region: str | None) -> Any:
    """Région (or département alone, without a région) totals, then the département's."""
    in_dep = _K.departement == departement
    where = _K.departement.in_(departements_of(region)) if region else in_dep
    return select(
        literal("r"),
        func.count(),
        func.sum(_K.current_index),
        func.count(case((in_dep, 1))),
        func.sum(case((in_dep, _K.current_index))),
    ).where(where, _K.answered_count > 0)


def _followed(opsn_id: int) -> Any:
    return (
        select(literal("o"), func.count(), func.sum(_K.current_index), literal(0), literal(0))
        .select_from(Attachment)
        .join(_K, _K.id == Attachment.collectivite_id)
        .where(
            Attachment.opsn_id == opsn_id,
            Attachment.status == _ACCEPTED,
            _K.answered_count > 0,
        )
    )


def averages(session: Session, collectivite_id: int) -> AreaAverages:
    own = session.execute(_OWN.where(_K.id == collectivite_id).limit(1)).first()
    if own is None:
        return AreaAverages()
    departement, answered, opsn_id, opsn_name = own
    region = region_of(departement)
    parts = [_area(departement, region), _NATIONAL]
    if opsn_id is not None:
        parts.append(_followed(opsn_id))
    rows = {row[0]: row[1:] for row in session.execute(union_all(*parts)).all()}
    itself = 1 if answered > 0 else 0

    def group(label: str, count: int | None, total: int | None) -> GroupAverage | None:
        if count is None or count - itself < MIN_PEERS:
            return None
        return GroupAverage(label=label, average=int(total or 0) / count, count=int(count))

    area, national = rows["r"], rows["n"]
    followed = rows.get("o")
    return AreaAverages(
        departement=group(departement, area[2], area[3]),
        region=group(region, area[0], area[1]) if region else None,
        national=group("", national[0], national[1]),
        opsn=group(opsn_name, followed[0], followed[1]) if followed else None,
    )
