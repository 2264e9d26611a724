"""procurement: pricing

Price lists with history and bills of quantities.

Revision ID: 0003a
Revises: 0002
Create Date: 2026-11-23 10:17:55.333287
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003a"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "price_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_price_lists_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_lists")),
        sa.UniqueConstraint("code", name=op.f("uq_price_lists_code")),
        sa.UniqueConstraint("region_id", "effective_date", name="uq_price_lists_region_date"),
    )
    with op.batch_alter_table("price_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_price_lists_region_id"), ["region_id"], unique=False)

    op.create_table(
        "price_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("price_list_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_price_items_unit_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["price_list_id"],
            ["price_lists.id"],
            name=op.f("fk_price_items_price_list_id_price_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_items")),
        sa.UniqueConstraint("price_list_id", "item_code", name="uq_price_items_list_item"),
    )
    with op.batch_alter_table("price_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_price_items_item_code"), ["item_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_price_items_price_list_id"), ["price_list_id"], unique=False)

    op.create_table(
        "bills_of_quantities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_bills_of_quantities_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bills_of_quantities")),
        sa.UniqueConstraint("code", name=op.f("uq_bills_of_quantities_code")),
    )
    with op.batch_alter_table("bills_of_quantities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bills_of_quantities_project_id"), ["project_id"], unique=False)

    op.create_table(
        "boq_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("boq_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_boq_lines_quantity_non_negative")),
        sa.ForeignKeyConstraint(
            ["boq_id"],
            ["bills_of_quantities.id"],
            name=op.f("fk_boq_lines_boq_id_bills_of_quantities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boq_lines")),
        sa.UniqueConstraint("boq_id", "item_code", name="uq_boq_lines_boq_item"),
    )
    with op.batch_alter_table("boq_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_boq_lines_boq_id"), ["boq_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("boq_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_boq_lines_boq_id"))

    op.drop_table("boq_lines")
    with op.batch_alter_table("bills_of_quantities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bills_of_quantities_project_id"))

    op.drop_table("bills_of_quantities")
    with op.batch_alter_table("price_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_items_price_list_id"))
        batch_op.drop_index(batch_op.f("ix_price_items_item_code"))

    op.drop_table("price_items")
    with op.batch_alter_table("price_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_lists_region_id"))

    op.drop_table("price_lists")
