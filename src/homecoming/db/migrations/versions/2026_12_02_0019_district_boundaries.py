"""a district's boundary, imported as GeoJSON like any other registry table (the map's districts layer)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 00:05:00

One nullable JSON column: no outline is invented, so every district starts without one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("districts") as batch:
        batch.add_column(sa.Column("boundary_geojson", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("districts") as batch:
        batch.drop_column("boundary_geojson")
