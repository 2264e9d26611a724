"""land release activities and hazard block overrides

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 09:36:27.263767
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hazard_block_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_area_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("blocks", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(settlement_id IS NULL) <> (project_id IS NULL)", name=op.f("ck_hazard_block_overrides_one_target")
        ),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_hazard_block_overrides_reason_given")),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"],
            ["hazard_areas.id"],
            name=op.f("fk_hazard_block_overrides_hazard_area_id_hazard_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_hazard_block_overrides_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_hazard_block_overrides_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_block_overrides")),
    )
    with op.batch_alter_table("hazard_block_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hazard_block_overrides_hazard_area_id"), ["hazard_area_id"], unique=False)

    op.create_table(
        "land_release_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("hazard_area_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "non_technical_survey",
                "technical_survey",
                "clearance",
                name="activity_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "ongoing",
                "suspended",
                "completed",
                name="activity_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("cancelled_m2", sa.Float(), nullable=False),
        sa.Column("reduced_m2", sa.Float(), nullable=False),
        sa.Column("cleared_m2", sa.Float(), nullable=False),
        sa.Column("items_found", sa.Integer(), nullable=False),
        sa.Column("items_destroyed", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("method", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "cancelled_m2 >= 0 AND reduced_m2 >= 0 AND cleared_m2 >= 0",
            name=op.f("ck_land_release_activities_areas_non_negative"),
        ),
        sa.CheckConstraint(
            "items_destroyed <= items_found", name=op.f("ck_land_release_activities_destroyed_were_found")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"],
            ["hazard_areas.id"],
            name=op.f("fk_land_release_activities_hazard_area_id_hazard_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_release_activities")),
        sa.UniqueConstraint("code", name=op.f("uq_land_release_activities_code")),
    )
    with op.batch_alter_table("land_release_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_land_release_activities_hazard_area_id"), ["hazard_area_id"], unique=False)

    with op.batch_alter_table("hazard_areas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "contamination_type",
                sa.Enum(
                    "ap_mines",
                    "at_mines",
                    "mixed_mines",
                    "uxo",
                    "cluster_munitions",
                    "unknown",
                    name="contamination_type",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="unknown",  # rows that exist already: nothing is known of them yet
            )
        )
        batch_op.add_column(
            sa.Column(
                "blocked_land_use",
                sa.Enum(
                    "housing",
                    "agriculture",
                    "road",
                    "utilities",
                    name="land_use",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="housing",
            )
        )
        batch_op.add_column(sa.Column("casualty_risk", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("hazard_areas", schema=None) as batch_op:
        # the enums' CHECK constraints name the columns; on SQLite they must go before the columns do
        batch_op.drop_constraint(batch_op.f("ck_hazard_areas_land_use"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_hazard_areas_contamination_type"), type_="check")
        batch_op.drop_column("casualty_risk")
        batch_op.drop_column("blocked_land_use")
        batch_op.drop_column("contamination_type")

    with op.batch_alter_table("land_release_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_land_release_activities_hazard_area_id"))

    op.drop_table("land_release_activities")
    with op.batch_alter_table("hazard_block_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_block_overrides_hazard_area_id"))

    op.drop_table("hazard_block_overrides")
