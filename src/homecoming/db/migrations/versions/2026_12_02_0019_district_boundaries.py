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


# Both ways in place (SQLite 3.35+ adds and drops a plain column itself): a batch copy would drop and re-create the
# districts table, which every settlement points at, and the foreign keys refuse that once the tables hold data.
def upgrade() -> None:
    with op.batch_alter_table("districts", recreate="never") as batch:
        batch.add_column(sa.Column("boundary_geojson", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("districts", recreate="never") as batch:
        batch.drop_column("boundary_geojson")
