"""several collectivités per person: memberships unique per (person, collectivité), active one chosen

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The naming convention names a unique constraint after its first column: the new pair keeps the
# old name (its leading column still serves the look-ups by person).
UNIQUE = "uq_memberships_user_id"


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(UNIQUE, type_="unique")
        batch_op.create_unique_constraint(UNIQUE, ["user_id", "collectivite_id"])
        batch_op.add_column(sa.Column("chosen_rank", sa.Integer(), nullable=True))


def downgrade() -> None:
    # One collectivité per person again: each keeps the active one (chosen last, else joined
    # first) and leaves the others.
    op.execute(
        sa.text(
            "DELETE FROM memberships WHERE id NOT IN ("
            " SELECT (SELECT m2.id FROM memberships m2 WHERE m2.user_id = m1.user_id"
            "  ORDER BY CASE WHEN m2.chosen_rank IS NULL THEN 1 ELSE 0 END, m2.chosen_rank DESC,"
            "  m2.id"
            "  LIMIT 1)"
            " FROM memberships m1 GROUP BY m1.user_id)"
        )
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("chosen_rank")
        batch_op.drop_constraint(UNIQUE, type_="unique")
        batch_op.create_unique_constraint(UNIQUE, ["user_id"])
