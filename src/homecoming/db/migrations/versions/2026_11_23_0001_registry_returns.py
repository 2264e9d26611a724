"""registry first cut: returns

Return events, convoys and programme targets: the registry"s first cut is complete at this revision
(its id stays 0001, so databases already stamped 0001 or later keep their history).

Revision ID: 0001
Revises: 0001e
Create Date: 2026-11-23 03:00:05.748675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = "0001e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "return_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column(
            "date_precision",
            sa.Enum(
                "day",
                "month",
                "year",
                name="date_precision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("cumulative", sa.Boolean(), nullable=False),
        sa.Column("families", sa.Integer(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.CheckConstraint("families >= 0 AND people >= 0", name=op.f("ck_return_events_counts_non_negative")),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_return_events_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_events")),
        sa.UniqueConstraint("code", name=op.f("uq_return_events_code")),
    )
    with op.batch_alter_table("return_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_events_settlement_id"), ["settlement_id"], unique=False)

    op.create_table(
        "convoys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("departure_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "departed",
                "arrived",
                "cancelled",
                name="convoy_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("vehicles", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.CheckConstraint("vehicles >= 0 AND households >= 0 AND people >= 0", name=op.f("ck_convoys_counts")),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_convoys_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convoys")),
        sa.UniqueConstraint("code", name=op.f("uq_convoys_code")),
    )
    with op.batch_alter_table("convoys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_convoys_settlement_id"), ["settlement_id"], unique=False)

    op.create_table(
        "programme_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_targets")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_targets_code")),
    )


def downgrade() -> None:
    op.drop_table("programme_targets")
    with op.batch_alter_table("convoys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_convoys_settlement_id"))

    op.drop_table("convoys")
    with op.batch_alter_table("return_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_events_settlement_id"))

    op.drop_table("return_events")
