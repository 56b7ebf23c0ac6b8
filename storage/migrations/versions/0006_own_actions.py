"""own actions: plan items without a question (the team's, or proposed by its OPSN)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.alter_column(
            "question_id",
            existing_type=sa.String(length=16),
            existing_nullable=False,
            nullable=True,
        )
        batch_op.add_column(
            sa.Column("origin", sa.String(length=8), server_default="ref", nullable=False)
        )
        batch_op.add_column(sa.Column("title", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("details", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("theme_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("opsn_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_opsn_id_opsn"), "opsn", ["opsn_id"], ["id"]
        )


def downgrade() -> None:
    # Own actions have no question to hang on to in the old schema: they go, with their history.
    own = "SELECT id FROM action_items WHERE question_id IS NULL"
    op.execute(sa.text(f"DELETE FROM action_events WHERE action_item_id IN ({own})"))
    op.execute(sa.text("DELETE FROM action_items WHERE question_id IS NULL"))
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_action_items_opsn_id_opsn"), type_="foreignkey")
        for column in ("opsn_id", "priority", "theme_id", "details", "title", "origin"):
            batch_op.drop_column(column)
        batch_op.alter_column(
            "question_id",
            existing_type=sa.String(length=16),
            existing_nullable=True,
            nullable=False,
        )
