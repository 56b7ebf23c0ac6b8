"""recommendation proposals: OPSN push recommendations to the collectivités they follow

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recommendation_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("opsn_id", sa.Integer(), nullable=False),
        sa.Column("collectivite_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("why", sa.String(length=450), nullable=False),
        sa.Column("how", sa.String(length=450), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("action_item_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_item_id"],
            ["action_items.id"],
            name=op.f("fk_recommendation_proposals_action_item_id_action_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["collectivite_id"],
            ["collectivites.id"],
            name=op.f("fk_recommendation_proposals_collectivite_id_collectivites"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_recommendation_proposals_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_recommendation_proposals_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["opsn_id"], ["opsn.id"], name=op.f("fk_recommendation_proposals_opsn_id_opsn")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_proposals")),
    )
    with op.batch_alter_table("recommendation_proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_proposals_batch"), ["batch"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recommendation_proposals_collectivite_id"),
            ["collectivite_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_recommendation_proposals_opsn_id"), ["opsn_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("recommendation_proposals")
