"""registry first cut: mine action

Hazard areas, what they block, and reported clearance figures.

Revision ID: 0001c
Revises: 0001b
Create Date: 2026-11-23 03:00:05.748675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001c"
down_revision: str | None = "0001b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hazard_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "classification",
            sa.Enum(
                "SHA",
                "CHA",
                name="hazard_classification",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "worked_on",
                "closed",
                name="hazard_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("polygon_geojson", sa.JSON(), nullable=True),
        sa.Column("estimated_area_m2", sa.Float(), nullable=False),
        sa.Column("remaining_area_m2", sa.Float(), nullable=False),
        sa.Column("blocks_settlement_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["blocks_settlement_id"],
            ["settlements.id"],
            name=op.f("fk_hazard_areas_blocks_settlement_id_settlements"),
        ),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_hazard_areas_district_id_districts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_hazard_areas_code")),
    )
    with op.batch_alter_table("hazard_areas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hazard_areas_blocks_settlement_id"), ["blocks_settlement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hazard_areas_district_id"), ["district_id"], unique=False)

    op.create_table(
        "hazard_area_blocked_projects",
        sa.Column("hazard_area_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"],
            ["hazard_areas.id"],
            name=op.f("fk_hazard_area_blocked_projects_hazard_area_id_hazard_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_hazard_area_blocked_projects_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("hazard_area_id", "project_id", name=op.f("pk_hazard_area_blocked_projects")),
    )

    op.create_table(
        "clearance_statistics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("breakdown", sa.String(length=100), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_clearance_statistics_district_id_districts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearance_statistics")),
        sa.UniqueConstraint("code", name=op.f("uq_clearance_statistics_code")),
    )
    with op.batch_alter_table("clearance_statistics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clearance_statistics_district_id"), ["district_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clearance_statistics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clearance_statistics_district_id"))

    op.drop_table("clearance_statistics")
    op.drop_table("hazard_area_blocked_projects")
    with op.batch_alter_table("hazard_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_areas_district_id"))
        batch_op.drop_index(batch_op.f("ix_hazard_areas_blocks_settlement_id"))

    op.drop_table("hazard_areas")
