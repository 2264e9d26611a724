"""procurement: contracts

Budget changes, contracts, milestones, inspections and payments (the id stays 0003, so databases
already stamped 0003 or later keep their history).

Revision ID: 0003
Revises: 0003b
Create Date: 2026-11-23 10:17:55.333287
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0003b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("budget_allocation_id", sa.Integer(), nullable=False),
        sa.Column("amount_azn", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_allocation_id"],
            ["budget_allocations.id"],
            name=op.f("fk_budget_changes_budget_allocation_id_budget_allocations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_changes")),
        sa.UniqueConstraint("code", name=op.f("uq_budget_changes_code")),
    )
    with op.batch_alter_table("budget_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_changes_budget_allocation_id"), ["budget_allocation_id"], unique=False
        )

    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("budget_allocation_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_to_azn", sa.Float(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "complete", name="contract_status", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.CheckConstraint("value > 0", name=op.f("ck_contracts_value_positive")),
        sa.ForeignKeyConstraint(["bidder_id"], ["bidders.id"], name=op.f("fk_contracts_bidder_id_bidders")),
        sa.ForeignKeyConstraint(
            ["budget_allocation_id"],
            ["budget_allocations.id"],
            name=op.f("fk_contracts_budget_allocation_id_budget_allocations"),
        ),
        sa.ForeignKeyConstraint(["tender_id"], ["tenders.id"], name=op.f("fk_contracts_tender_id_tenders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("code", name=op.f("uq_contracts_code")),
        sa.UniqueConstraint("tender_id", name=op.f("uq_contracts_tender_id")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracts_bidder_id"), ["bidder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_budget_allocation_id"), ["budget_allocation_id"], unique=False)

    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_milestones_amount_positive")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_milestones_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("contract_id", "number", name="uq_milestones_contract_number"),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("inspector", sa.String(length=200), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestones.id"], name=op.f("fk_inspections_milestone_id_milestones"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspections_milestone_id"), ["milestone_id"], unique=False)

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.Column("paid_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name=op.f("fk_payments_inspection_id_inspections")
        ),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestones.id"], name=op.f("fk_payments_milestone_id_milestones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_inspection_id"), ["inspection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_milestone_id"), ["milestone_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_milestone_id"))
        batch_op.drop_index(batch_op.f("ix_payments_inspection_id"))

    op.drop_table("payments")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_milestone_id"))

    op.drop_table("inspections")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_contract_id"))

    op.drop_table("milestones")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_budget_allocation_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_bidder_id"))

    op.drop_table("contracts")
    with op.batch_alter_table("budget_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_changes_budget_allocation_id"))

    op.drop_table("budget_changes")
