"""level-2 answers: text and date answers need more than 16 characters

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# A level-2 text answer holds up to 300 characters (referential.fields.TEXT_ANSWER_MAX).
WIDE = sa.String(length=300)
NARROW = sa.String(length=16)


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=NARROW, type_=WIDE, existing_nullable=False)
    with op.batch_alter_table("answer_history", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=NARROW, type_=WIDE, existing_nullable=True)


def downgrade() -> None:
    # Longer answers would not fit back: they are cut, as the old column could not hold them.
    for table in ("answers", "answer_history"):
        op.execute(
            sa.text(f"UPDATE {table} SET value = substr(value, 1, 16) WHERE length(value) > 16")
        )
    with op.batch_alter_table("answer_history", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=WIDE, type_=NARROW, existing_nullable=True)
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=WIDE, type_=NARROW, existing_nullable=False)
