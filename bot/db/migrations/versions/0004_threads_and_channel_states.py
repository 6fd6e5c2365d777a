"""thread refs (the last answer in a thread, for follow-ups) and channel states (opt-in defaults)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thread_refs",
        sa.Column("thread", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("thread"),
    )
    op.create_index(op.f("ix_thread_refs_updated_at"), "thread_refs", ["updated_at"], unique=False)
    op.create_table(
        "channel_states",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )


def downgrade() -> None:
    op.drop_table("channel_states")
    op.drop_index(op.f("ix_thread_refs_updated_at"), table_name="thread_refs")
    op.drop_table("thread_refs")
