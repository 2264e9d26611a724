"""registry first cut: households

The displaced-household registry.

Revision ID: 0001e
Revises: 0001d
Create Date: 2026-11-23 03:00:05.748675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001e"
down_revision: str | None = "0001d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("origin_settlement_id", sa.Integer(), nullable=False),
        sa.Column("head_name", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("elderly", sa.Integer(), nullable=False),
        sa.Column("rooms_needed", sa.Integer(), nullable=False),
        sa.Column("disability", sa.Boolean(), nullable=False),
        sa.Column("single_parent", sa.Boolean(), nullable=False),
        sa.Column("chronic_illness", sa.Boolean(), nullable=False),
        sa.Column("consent_to_return", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("current_address", sa.String(length=300), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "children >= 0 AND elderly >= 0 AND children + elderly <= size",
            name=op.f("ck_households_members_fit"),
        ),
        sa.CheckConstraint("rooms_needed >= 1", name=op.f("ck_households_rooms_positive")),
        sa.CheckConstraint("size >= 1", name=op.f("ck_households_size_positive")),
        sa.ForeignKeyConstraint(
            ["origin_settlement_id"],
            ["settlements.id"],
            name=op.f("fk_households_origin_settlement_id_settlements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
        sa.UniqueConstraint("code", name=op.f("uq_households_code")),
    )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_households_origin_settlement_id"), ["origin_settlement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_origin_settlement_id"))

    op.drop_table("households")
