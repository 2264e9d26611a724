"""plan approvals: the official plan, proposed by a planner and approved by an admin who did not make it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 00:20:00

Until now the public pages showed the latest plan run, what-ifs included. A run is now official only once approved;
no run stored before this one is, so after the upgrade the public pages say there is no official forecast yet until
an admin approves one (`homecoming demo` approves its own baseline plan).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = ("proposed", "approved", "withdrawn")


def upgrade() -> None:
    op.create_table(
        "plan_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(*STATES, name="approval_state", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=64), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_run_id"], ["plan_runs.id"], name=op.f("fk_plan_approvals_plan_run_id_plan_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_approvals")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_approvals_code")),
        sa.UniqueConstraint("plan_run_id", name=op.f("uq_plan_approvals_plan_run_id")),
    )
    with op.batch_alter_table("plan_approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_approvals_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_approvals_state"))
    op.drop_table("plan_approvals")
