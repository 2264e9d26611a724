"""registry first cut: works

Works projects, their dependencies, and housing stock.

Revision ID: 0001b
Revises: 0001a
Create Date: 2026-11-23 03:00:05.748675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001b"
down_revision: str | None = "0001a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "sector",
            sa.Enum(
                "housing",
                "road",
                "power",
                "water",
                "gas",
                "telecom",
                "school",
                "health",
                "heritage",
                "airport",
                "rail",
                "agriculture",
                "administration",
                name="sector",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "tendering",
                "in_progress",
                "completed",
                "suspended",
                "cancelled",
                name="project_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("progress_pct", sa.Float(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("location_text", sa.String(length=300), nullable=True),
        sa.Column("budget_amount", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=True),
        sa.Column("budget_currency", sa.String(length=3), nullable=True),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("metric", sa.String(length=200), nullable=True),
        sa.Column("metric_value", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.CheckConstraint("progress_pct BETWEEN 0 AND 100", name=op.f("ck_projects_progress_range")),
        sa.CheckConstraint("stage BETWEEN 1 AND 4", name=op.f("ck_projects_stage_range")),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_projects_district_id_districts")),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_projects_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_sector"), ["sector"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_settlement_id"), ["settlement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_status"), ["status"], unique=False)

    op.create_table(
        "project_dependencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("predecessor_id <> successor_id", name=op.f("ck_project_dependencies_not_self")),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["projects.id"],
            name=op.f("fk_project_dependencies_predecessor_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["projects.id"],
            name=op.f("fk_project_dependencies_successor_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_dependencies")),
        sa.UniqueConstraint("predecessor_id", "successor_id", name="uq_project_dependencies_pair"),
    )
    with op.batch_alter_table("project_dependencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_dependencies_predecessor_id"), ["predecessor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_dependencies_successor_id"), ["successor_id"], unique=False)

    op.create_table(
        "housing_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "building",
                "ready",
                "allocated",
                "occupied",
                name="housing_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("expected_ready", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.CheckConstraint("units >= 0", name=op.f("ck_housing_stock_units_non_negative")),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_housing_stock_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_stock")),
        sa.UniqueConstraint("code", name=op.f("uq_housing_stock_code")),
    )
    with op.batch_alter_table("housing_stock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housing_stock_settlement_id"), ["settlement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("housing_stock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_stock_settlement_id"))

    op.drop_table("housing_stock")
    with op.batch_alter_table("project_dependencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_dependencies_successor_id"))
        batch_op.drop_index(batch_op.f("ix_project_dependencies_predecessor_id"))

    op.drop_table("project_dependencies")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_status"))
        batch_op.drop_index(batch_op.f("ix_projects_settlement_id"))
        batch_op.drop_index(batch_op.f("ix_projects_sector"))
        batch_op.drop_index(batch_op.f("ix_projects_district_id"))

    op.drop_table("projects")
