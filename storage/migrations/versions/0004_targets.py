"""targets: the team's target per collectivité

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("collectivite_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=2), nullable=True),
        sa.Column("index", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collectivite_id"],
            ["collectivites.id"],
            name=op.f("fk_targets_collectivite_id_collectivites"),
        ),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"], name=op.f("fk_targets_set_by_users")),
        sa.PrimaryKeyConstraint("collectivite_id", name=op.f("pk_targets")),
    )


def downgrade() -> None:
    op.drop_table("targets")
