"""claims stay open until the reply is posted; counters

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claimed_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("payload", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(batch_op.f("ix_claimed_events_lease_until"), ["lease_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_claimed_events_owner"), ["owner"], unique=False)

    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("counters")
    with op.batch_alter_table("claimed_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claimed_events_owner"))
        batch_op.drop_index(batch_op.f("ix_claimed_events_lease_until"))
        batch_op.drop_column("attempts")
        batch_op.drop_column("payload")
        batch_op.drop_column("owner")
        batch_op.drop_column("lease_until")
