"""registry first cut: finance

Yearly budget figures.

Revision ID: 0001d
Revises: 0001c
Create Date: 2026-11-23 03:00:05.748675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001d"
down_revision: str | None = "0001c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "source_kind",
            sa.Enum(
                "state_budget",
                "foreign_state",
                "investor",
                "donor",
                name="funding_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "figure_kind",
            sa.Enum(
                "planned",
                "revised",
                "allocated",
                "spent",
                name="budget_figure_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_to_azn", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_budget_allocations_amount_non_negative")),
        sa.CheckConstraint("rate_to_azn > 0", name=op.f("ck_budget_allocations_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_allocations")),
        sa.UniqueConstraint("code", name=op.f("uq_budget_allocations_code")),
    )
    with op.batch_alter_table("budget_allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_allocations_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("budget_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_allocations_year"))

    op.drop_table("budget_allocations")
