"""import jobs: the `import` job kind and job_files, the uploaded file an import job reads (dropped when it ends)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 16:00:00

The kind column is a string with a CHECK listing the kinds (str_enum). PostgreSQL swaps the CHECK; on SQLite the
CHECK is widened in place, as migration 0008 does for the users' roles (SQLite's documented procedure for a
constraint every existing row already satisfies).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from homecoming.db.schema_edits import swap_values_check

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("plan_run", "risk_run", "sweep")
NEW_KINDS = (*OLD_KINDS, "import")


def upgrade() -> None:
    swap_values_check("jobs", "ck_jobs_job_kind", "kind", OLD_KINDS, NEW_KINDS)
    op.create_table(
        "job_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_files_job_id_jobs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_files")),
        sa.UniqueConstraint("job_id", name=op.f("uq_job_files_job_id")),
    )


def downgrade() -> None:
    op.drop_table("job_files")
    op.execute("DELETE FROM jobs WHERE kind = 'import'")
    swap_values_check("jobs", "ck_jobs_job_kind", "kind", NEW_KINDS, OLD_KINDS)
