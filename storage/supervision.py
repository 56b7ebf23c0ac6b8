"""Read-only queries of OPSN supervision pages: the answers behind indicators, for every
collectivité an OPSN follows, in one streamed query.

The rows come ordered by collectivité and are handed over one collectivité at a time, fetched in
batches, so the dashboard's memory stays bounded by one batch however many it follows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogs.records import AttachmentStatus
from storage.models import Answer, Attachment

BATCH = 2000


def followed_answers(
    session: Session, opsn_id: int, question_ids: Collection[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(collectivité id, its answers to `question_ids`) for each collectivité the OPSN follows
    (accepted attachment) that answered at least one of them, by increasing id."""
    if not question_ids:
        return
    rows = session.execute(
        select(Answer.collectivite_id, Answer.question_id, Answer.value)
        .join(Attachment, Attachment.collectivite_id == Answer.collectivite_id)
        .where(
            Attachment.opsn_id == opsn_id,
            Attachment.status == AttachmentStatus.ACCEPTED,
            Answer.question_id.in_(sorted(question_ids)),
        )
        .order_by(Answer.collectivite_id, Answer.question_id)
        .execution_options(yield_per=BATCH)
    )
    current: int | None = None
    values: dict[str, str] = {}
    for cid, qid, value in rows:
        if cid != current:
            if current is not None:
                yield current, values
            current, values = cid, {}
        values[qid] = value
    if current is not None:
        yield current, values
