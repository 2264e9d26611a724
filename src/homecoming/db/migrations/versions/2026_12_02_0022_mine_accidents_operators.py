"""mine accidents and their victims, operators on land release, QA/QC inspections, reported casualty figures

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-02 03:15:00

New tables only, and one nullable column (the operator of a land-release activity). On SQLite the column and its
foreign key come by a batch copy of land_release_activities, which no table referred to until this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "mine_action_operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            _enum("operator_kind", "national_agency", "national_team", "foreign_team", "commercial_company", "ngo"),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mine_action_operators")),
        sa.UniqueConstraint("code", name=op.f("uq_mine_action_operators_code")),
    )
    with op.batch_alter_table("land_release_activities") as batch:
        batch.add_column(sa.Column("operator_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_land_release_activities_operator_id"), ["operator_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_land_release_activities_operator_id_mine_action_operators"),
            "mine_action_operators",
            ["operator_id"],
            ["id"],
        )
    op.create_table(
        "quality_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("inspection_kind", "quality_assurance", "quality_control"), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("result", _enum("inspection_result", "passed", "failed"), nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["land_release_activities.id"],
            name=op.f("fk_quality_inspections_activity_id_land_release_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"],
            ["mine_action_operators.id"],
            name=op.f("fk_quality_inspections_inspector_id_mine_action_operators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_inspections")),
        sa.UniqueConstraint("code", name=op.f("uq_quality_inspections_code")),
    )
    op.create_index(op.f("ix_quality_inspections_activity_id"), "quality_inspections", ["activity_id"])
    op.create_index(op.f("ix_quality_inspections_inspector_id"), "quality_inspections", ["inspector_id"])
    _accidents()
    op.create_table(
        "mine_casualty_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=False),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "killed IS NULL OR injured IS NULL OR killed + injured = total",
            name=op.f("ck_mine_casualty_figures_parts_add_up"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mine_casualty_figures")),
        sa.UniqueConstraint("code", name=op.f("uq_mine_casualty_figures_code")),
    )


def _accidents() -> None:
    activities = ("demining", "farming", "herding", "travelling", "collecting", "playing", "tampering",
                  "construction", "household", "military", "other", "unknown")  # fmt: skip
    op.create_table(
        "mine_accidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column(
            "device_type",
            _enum("device_type", "ap_mine", "at_mine", "erw_uxo", "cluster_munition", "ied", "unknown"),
            nullable=False,
        ),
        sa.Column("activity", _enum("accident_activity", *activities), nullable=False),
        sa.Column("hazard_area_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "settlement_id IS NOT NULL OR (lat IS NOT NULL AND lon IS NOT NULL)",
            name=op.f("ck_mine_accidents_place_given"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_mine_accidents_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"], ["hazard_areas.id"], name=op.f("fk_mine_accidents_hazard_area_id_hazard_areas")
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_mine_accidents_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mine_accidents")),
        sa.UniqueConstraint("code", name=op.f("uq_mine_accidents_code")),
    )
    for column in ("district_id", "hazard_area_id", "occurred_on", "settlement_id"):
        op.create_index(op.f(f"ix_mine_accidents_{column}"), "mine_accidents", [column])
    op.create_table(
        "mine_victims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accident_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("age_group", _enum("age_group", "child", "adult", "unknown"), nullable=False),
        sa.Column("sex", _enum("sex", "female", "male", "unknown"), nullable=False),
        sa.Column("kind", _enum("victim_kind", "civilian", "deminer", "military"), nullable=False),
        sa.Column("outcome", _enum("victim_outcome", "killed", "injured"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["accident_id"],
            ["mine_accidents.id"],
            name=op.f("fk_mine_victims_accident_id_mine_accidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mine_victims")),
        sa.UniqueConstraint("accident_id", "number", name=op.f("uq_mine_victims_accident_id")),
    )
    op.create_index(op.f("ix_mine_victims_accident_id"), "mine_victims", ["accident_id"])


def downgrade() -> None:
    for table in ("mine_casualty_figures", "mine_victims", "mine_accidents", "quality_inspections"):
        op.drop_table(table)
    with op.batch_alter_table("land_release_activities") as batch:
        batch.drop_constraint("fk_land_release_activities_operator_id_mine_action_operators", type_="foreignkey")
        batch.drop_index("ix_land_release_activities_operator_id")
        batch.drop_column("operator_id")
    op.drop_table("mine_action_operators")
