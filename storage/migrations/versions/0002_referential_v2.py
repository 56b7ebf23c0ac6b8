"""referential 2.0.0: rescore every collectivité with the shipped referential

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

No answer moves: referential 2.0.0 renamed no question id (see referential.versioning.V2_RETIRED,
V2_SPLITS, V2_ADDED), so every stored answer keeps its id, its value and the version it was given
under; answers to the two retired questions stay stored (and in the history) but count nowhere.
What must move is what was computed from the answers under 1.0.0: each collectivité's denormalised
index, grade and answered count, the peer bins built from them, and a point of the score history
where the index or progress changed. Downgrade leaves them: the next answer recomputes them anyway.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Imported here: only this migration needs the referential, and only when it runs.
    from referential.loader import default_referential
    from referential.scoring import score
    from storage.models import Answer, Collectivite, PeerBin, ScoreSnapshot
    from storage.peers import band_of

    ref = default_referential()
    bind = op.get_bind()
    answers_t = cast(sa.Table, Answer.__table__)
    collectivites_t = cast(sa.Table, Collectivite.__table__)
    snapshots_t = cast(sa.Table, ScoreSnapshot.__table__)
    bins_t = cast(sa.Table, PeerBin.__table__)
    a, k = answers_t.c, collectivites_t.c

    answers: dict[int, dict[str, str]] = {}
    for cid, qid, value in bind.execute(sa.select(a.collectivite_id, a.question_id, a.value)):
        answers.setdefault(cid, {})[qid] = value
    rows = bind.execute(
        sa.select(
            k.id, k.kind, k.population, k.current_index, k.current_grade, k.answered_count
        ).order_by(k.id)
    ).all()
    now = datetime.now(UTC)
    bins: Counter[tuple[str, int, int]] = Counter()
    for cid, kind, population, old_index, old_grade, old_answered in rows:
        s = score(ref, answers.get(cid, {}))
        answered = s.progress.answered
        if (s.index, s.grade, answered) != (old_index, old_grade, old_answered):
            bind.execute(
                sa.update(collectivites_t)
                .where(k.id == cid)
                .values(current_index=s.index, current_grade=s.grade, answered_count=answered)
            )
            if answered or old_answered:
                bind.execute(
                    sa.insert(snapshots_t).values(
                        collectivite_id=cid,
                        index=s.index,
                        grade=s.grade,
                        answered=answered,
                        total=s.progress.total,
                        created_by=None,
                        created_at=now,
                    )
                )
        if answered:  # as storage.peers.move: a collectivité that answered nothing is not counted
            bins[(kind, band_of(population), s.index)] += 1
    bind.execute(sa.delete(bins_t))
    if bins:
        bind.execute(
            sa.insert(bins_t),
            [
                {"kind": kind, "band": band, "index": index, "count": count}
                for (kind, band, index), count in sorted(bins.items())
            ],
        )


def downgrade() -> None:
    """Nothing to undo: no answer moved, and scores are recomputed at the next answer."""
