"""procurement: tenders

Bidders, tenders, sealed bids and opening committees.

Revision ID: 0003b
Revises: 0003a
Create Date: 2026-11-23 10:17:55.333287
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003b"
down_revision: str | None = "0003a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bidders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("tax_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bidders")),
        sa.UniqueConstraint("code", name=op.f("uq_bidders_code")),
    )

    op.create_table(
        "tenders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "goods",
                "works",
                "services",
                name="procurement_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "enquiries",
                "tendering",
                "opening",
                "evaluation",
                "awarded",
                "contract_signed",
                "complete",
                "cancelled",
                "unsuccessful",
                name="tender_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("budget_allocation_id", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("estimate_amount", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.Column("estimate_boq_id", sa.Integer(), nullable=True),
        sa.Column("estimate_on", sa.Date(), nullable=True),
        sa.Column("estimate_region_id", sa.Integer(), nullable=True),
        sa.Column("qualification_criteria", sa.Text(), nullable=False),
        sa.Column("min_bids", sa.Integer(), nullable=False),
        sa.Column("preference_category", sa.String(length=64), nullable=True),
        sa.Column("preference_margin_pct", sa.Float(), nullable=False),
        sa.Column("abnormally_low_pct", sa.Float(), nullable=False),
        sa.Column("enquiry_end", sa.DateTime(), nullable=False),
        sa.Column("tender_end", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("awarded_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("opening_threshold", sa.Integer(), nullable=True),
        sa.Column("public_key", sa.LargeBinary(length=64), nullable=True),
        sa.Column("wrapped_private_key", sa.LargeBinary(length=128), nullable=True),
        sa.Column("evaluation_report", sa.JSON(), nullable=True),
        sa.Column("winning_bidder_id", sa.Integer(), nullable=True),
        sa.Column("award_amount", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=True),
        sa.CheckConstraint("min_bids >= 1", name=op.f("ck_tenders_min_bids_positive")),
        sa.CheckConstraint("preference_margin_pct BETWEEN 0 AND 100", name=op.f("ck_tenders_margin_range")),
        sa.ForeignKeyConstraint(
            ["budget_allocation_id"],
            ["budget_allocations.id"],
            name=op.f("fk_tenders_budget_allocation_id_budget_allocations"),
        ),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_tenders_district_id_districts")),
        sa.ForeignKeyConstraint(
            ["estimate_boq_id"], ["bills_of_quantities.id"], name=op.f("fk_tenders_estimate_boq_id_bills_of_quantities")
        ),
        sa.ForeignKeyConstraint(
            ["estimate_region_id"], ["regions.id"], name=op.f("fk_tenders_estimate_region_id_regions")
        ),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_tenders_project_id_projects")),
        sa.ForeignKeyConstraint(
            ["winning_bidder_id"], ["bidders.id"], name=op.f("fk_tenders_winning_bidder_id_bidders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenders")),
        sa.UniqueConstraint("code", name=op.f("uq_tenders_code")),
    )
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tenders_budget_allocation_id"), ["budget_allocation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenders_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenders_estimate_boq_id"), ["estimate_boq_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenders_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenders_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenders_winning_bidder_id"), ["winning_bidder_id"], unique=False)

    op.create_table(
        "bids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("receipt", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "sealed",
                "opened",
                "disqualified",
                name="bid_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("opened_price", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=True),
        sa.Column("disqualification_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["bidder_id"], ["bidders.id"], name=op.f("fk_bids_bidder_id_bidders")),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_bids_tender_id_tenders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bids")),
        sa.UniqueConstraint("receipt", name=op.f("uq_bids_receipt")),
        sa.UniqueConstraint("tender_id", "bidder_id", name="uq_bids_tender_bidder"),
    )
    with op.batch_alter_table("bids", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bids_bidder_id"), ["bidder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bids_tender_id"), ["tender_id"], unique=False)

    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("share_index", sa.Integer(), nullable=False),
        sa.Column("share_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_committee_members_tender_id_tenders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
        sa.UniqueConstraint("tender_id", "share_index", name="uq_committee_members_index"),
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_members_tender_id"), ["tender_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_tender_id"))

    op.drop_table("committee_members")
    with op.batch_alter_table("bids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bids_tender_id"))
        batch_op.drop_index(batch_op.f("ix_bids_bidder_id"))

    op.drop_table("bids")
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenders_winning_bidder_id"))
        batch_op.drop_index(batch_op.f("ix_tenders_status"))
        batch_op.drop_index(batch_op.f("ix_tenders_project_id"))
        batch_op.drop_index(batch_op.f("ix_tenders_estimate_boq_id"))
        batch_op.drop_index(batch_op.f("ix_tenders_district_id"))
        batch_op.drop_index(batch_op.f("ix_tenders_budget_allocation_id"))

    op.drop_table("tenders")
    op.drop_table("bidders")
