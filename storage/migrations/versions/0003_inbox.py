"""inbox of received updates, replies kept on the conversation until sent, outbox claim owner

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "update_id", name=op.f("pk_inbox")),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replies_event", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("replies", sa.JSON(), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("replies")
        batch_op.drop_column("replies_event")
    op.drop_table("inbox")
