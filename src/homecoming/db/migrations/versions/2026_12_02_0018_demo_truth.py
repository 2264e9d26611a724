"""unknown convoy counts stay unknown; the national return counts and multi-year budget totals; illustrative records

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 00:00:00

A convoy whose people or vehicles were not reported stored 0, which reads as "nobody came": those two columns
become nullable, and the upgrade cannot tell a reported 0 from an unreported one, so it leaves the values as they
are (the demo data is rebuilt by `homecoming demo`). The downgrade writes 0 back where a count is unknown.
`national_return_counts` holds the programme's own national totals (great_return.csv), `cumulative_budgets` the
running totals over several years that must not be added to the yearly figures. Records the demo makes up to show
a page (hazard polygons, damage counts, a tender and its contract, a risk run) carry `illustrative`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ILLUSTRATIVE = ("hazard_areas", "damage_counts", "bidders", "tenders", "contracts", "plan_risks")
KINDS = ("planned", "revised", "allocated", "spent")
PRECISIONS = ("day", "month", "year")
STR_ENUM: dict[str, object] = {"native_enum": False, "create_constraint": True, "length": 32}


def _sourced() -> list[sa.Column[object]]:
    return [sa.Column("source_url", sa.String(length=500), nullable=True), sa.Column("source_date", sa.Date())]


def upgrade() -> None:
    with op.batch_alter_table("convoys", schema=None) as batch_op:
        batch_op.alter_column("vehicles", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("people", existing_type=sa.Integer(), nullable=True)
    for table in ILLUSTRATIVE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "national_return_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.Enum(*PRECISIONS, **STR_ENUM, name="date_precision"), nullable=False),
        sa.Column("families", sa.Integer(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("settlements", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_sourced(),
        sa.CheckConstraint(
            "families >= 0 AND people >= 0 AND settlements >= 0",
            name=op.f("ck_national_return_counts_counts_non_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_return_counts")),
        sa.UniqueConstraint("code", name=op.f("uq_national_return_counts_code")),
    )
    op.create_table(
        "cumulative_budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column(
            "figure_kind",
            sa.Enum(*KINDS, **STR_ENUM, name="budget_figure_kind"),
            nullable=True,
        ),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_to_azn", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_sourced(),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_cumulative_budgets_amount_non_negative")),
        sa.CheckConstraint("rate_to_azn > 0", name=op.f("ck_cumulative_budgets_rate_positive")),
        sa.CheckConstraint("last_year >= first_year", name=op.f("ck_cumulative_budgets_years_in_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cumulative_budgets")),
        sa.UniqueConstraint("code", name=op.f("uq_cumulative_budgets_code")),
    )


def downgrade() -> None:
    op.drop_table("cumulative_budgets")
    op.drop_table("national_return_counts")
    for table in reversed(ILLUSTRATIVE):
        # SQLite drops a plain column in place (3.35+): a batch copy would drop and re-create tables other rows
        # point at (bids at tenders), which the foreign keys refuse once the tables hold data.
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column("illustrative")
    convoys = sa.table("convoys", sa.column("vehicles", sa.Integer()), sa.column("people", sa.Integer()))
    op.execute(convoys.update().where(convoys.c.vehicles.is_(None)).values(vehicles=0))
    op.execute(convoys.update().where(convoys.c.people.is_(None)).values(people=0))
    with op.batch_alter_table("convoys", schema=None) as batch_op:
        batch_op.alter_column("vehicles", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("people", existing_type=sa.Integer(), nullable=False)
