"""tender complaints within a standstill, and contract amendments (variation orders)

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-02 03:00:00

`tenders.standstill_ends_at` is set at the award (nullable: tenders awarded before standstills existed keep none);
`tender_complaints` are the bidders' complaints and their decisions; `contract_amendments` the variation orders.
The column is added in place (SQLite 3.35+ adds and drops a plain column itself), as 0019 does: a batch copy of
tenders would be refused by the bids and contracts pointing at it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2, asdecimal=False)


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("tenders", recreate="never") as batch:
        batch.add_column(sa.Column("standstill_ends_at", sa.DateTime(), nullable=True))
    op.create_table(
        "tender_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("status", _enum("complaint_status", ("open", "upheld", "rejected")), nullable=False),
        sa.Column("remedy", _enum("complaint_remedy", ("re_evaluate", "cancel")), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tender_id"], ["tenders.id"], name=op.f("fk_tender_complaints_tender_id_tenders"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["bidder_id"], ["bidders.id"], name=op.f("fk_tender_complaints_bidder_id_bidders")),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_tender_complaints_filed_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_tender_complaints_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_complaints")),
        sa.UniqueConstraint("code", name=op.f("uq_tender_complaints_code")),
    )  # fmt: skip
    with op.batch_alter_table("tender_complaints") as batch:
        for column in ("tender_id", "bidder_id", "status"):
            batch.create_index(batch.f(f"ix_tender_complaints_{column}"), [column], unique=False)
    op.create_table(
        "contract_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", _enum("amendment_status", ("requested", "approved", "declined")), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("old_value", MONEY, nullable=False),
        sa.Column("new_value", MONEY, nullable=False),
        sa.Column("old_end_date", sa.Date(), nullable=True),
        sa.Column("new_end_date", sa.Date(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("new_value > 0", name=op.f("ck_contract_amendments_new_value_positive")),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"],
                                name=op.f("fk_contract_amendments_contract_id_contracts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_contract_amendments_requested_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_contract_amendments_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_amendments")),
        sa.UniqueConstraint("contract_id", "number", name="uq_contract_amendments_contract_number"),
    )  # fmt: skip
    with op.batch_alter_table("contract_amendments") as batch:
        batch.create_index(batch.f("ix_contract_amendments_contract_id"), ["contract_id"], unique=False)


def downgrade() -> None:
    op.drop_table("contract_amendments")
    op.drop_table("tender_complaints")
    with op.batch_alter_table("tenders", recreate="never") as batch:
        batch.drop_column("standstill_ends_at")
