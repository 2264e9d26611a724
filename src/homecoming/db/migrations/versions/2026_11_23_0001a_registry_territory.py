"""registry first cut: territory

Regions, districts and settlements.

Revision ID: 0001a
Revises:
Create Date: 2026-11-23 03:00:05.748675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001a"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("code", name=op.f("uq_regions_code")),
    )

    op.create_table(
        "districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("alt_names", sa.String(length=500), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("admin_centre", sa.String(length=200), nullable=True),
        sa.Column("iso_code", sa.String(length=16), nullable=True),
        sa.Column("centre_lat", sa.Float(), nullable=True),
        sa.Column("centre_lon", sa.Float(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_districts_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_districts")),
        sa.UniqueConstraint("code", name=op.f("uq_districts_code")),
    )
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_districts_region_id"), ["region_id"], unique=False)

    op.create_table(
        "settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("alt_names", sa.String(length=500), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "city",
                "town",
                "village",
                name="settlement_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("households_before", sa.Integer(), nullable=True),
        sa.Column("population_before", sa.Integer(), nullable=True),
        sa.Column("population_note", sa.String(length=300), nullable=True),
        sa.Column("boundary_geojson", sa.JSON(), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_settlements_district_id_districts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
        sa.UniqueConstraint("code", name=op.f("uq_settlements_code")),
    )
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlements_district_id"), ["district_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlements_district_id"))

    op.drop_table("settlements")
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_districts_region_id"))

    op.drop_table("districts")
    op.drop_table("regions")
