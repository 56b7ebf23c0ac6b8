"""Average indexes by département, région, France and OPSN, as Éco-clic shows them.

Two statements: the collectivité's département and OPSN (one indexed read), then one pass over the
collectivités that answered, summing each group with conditional aggregates. Only groups with at
least five others than the asking collectivité are returned (the rule of `storage.peers`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, select
from sqlalchemy.orm import Session

from dialogs.records import AreaAverages, AttachmentStatus, GroupAverage
from storage.models import Attachment, Collectivite, Opsn
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


def _group(condition: ColumnElement[bool]) -> tuple[Any, Any]:
    """COUNT and SUM of the index over the rows meeting `condition` (portable: no FILTER)."""
    return func.count(case((condition, 1))), func.sum(case((condition, _K.current_index)))


def averages(session: Session, collectivite_id: int) -> AreaAverages:
    own = session.execute(_OWN.where(_K.id == collectivite_id).limit(1)).first()
    if own is None:
        return AreaAverages()
    departement, answered, opsn_id, opsn_name = own
    region = region_of(departement)
    in_opsn: ColumnElement[bool] = false()
    if opsn_id is not None:
        followed = select(Attachment.collectivite_id).where(
            Attachment.opsn_id == opsn_id, Attachment.status == _ACCEPTED
        )
        in_opsn = _K.id.in_(followed)
    in_region = _K.departement.in_(departements_of(region)) if region else false()
    row = session.execute(
        select(
            func.count(),
            func.sum(_K.current_index),
            *_group(_K.departement == departement),
            *_group(in_region),
            *_group(in_opsn),
        ).where(_K.answered_count > 0)
    ).one()
    itself = 1 if answered > 0 else 0

    def group(label: str, count: int, total: int | None) -> GroupAverage | None:
        if count - itself < MIN_PEERS:
            return None
        return GroupAverage(label=label, average=(total or 0) / count, count=count)

    return AreaAverages(
        departement=group(departement, row[2], row[3]),
        region=group(region, row[4], row[5]) if region else None,
        national=group("", row[0], row[1]),
        opsn=group(opsn_name, row[6], row[7]) if opsn_id is not None else None,
    )
