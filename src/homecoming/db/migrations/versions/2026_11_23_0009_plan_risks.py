"""plan risks: Monte Carlo schedule risk stored with the plan run

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("scenarios", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("by_date", sa.Date(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("uncertainty", sa.JSON(), nullable=False),
        sa.Column("people_months", sa.JSON(), nullable=False),
        sa.Column("settlements", sa.JSON(), nullable=False),
        sa.Column("years", sa.JSON(), nullable=False),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("overrun", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_run_id"], ["plan_runs.id"], name=op.f("fk_plan_risks_plan_run_id_plan_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_risks")),
    )
    with op.batch_alter_table("plan_risks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_risks_plan_run_id"), ["plan_run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_risks_plan_run_id"))
    op.drop_table("plan_risks")
