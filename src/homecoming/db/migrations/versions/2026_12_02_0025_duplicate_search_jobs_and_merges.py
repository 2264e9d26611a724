"""the duplicate search as a job, and people merged on a "same person" decision (issue 22, item 5)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 06:05:00

The jobs' kind CHECK is widened to `duplicate_search` as 0011 widened it to `import` (db/schema_edits: PostgreSQL
swaps the CHECK, SQLite's CREATE statement is rewritten in place). `member_merges` records each person merged into
the member kept (a new table rather than columns on `household_members`: that table is referenced by the review
list, so SQLite could only add a foreign-key column by copying it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from homecoming.db.schema_edits import swap_values_check

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("plan_run", "risk_run", "sweep", "import")
NEW_KINDS = (*OLD_KINDS, "duplicate_search")


def upgrade() -> None:
    swap_values_check("jobs", "ck_jobs_job_kind", "kind", OLD_KINDS, NEW_KINDS)
    op.create_table(
        "member_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merged_member_id", sa.Integer(), nullable=False),
        sa.Column("kept_member_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("merged_by", sa.String(length=64), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["duplicate_candidates.id"],
                                name=op.f("fk_member_merges_candidate_id_duplicate_candidates"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["kept_member_id"], ["household_members.id"],
                                name=op.f("fk_member_merges_kept_member_id_household_members"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["merged_member_id"], ["household_members.id"],
                                name=op.f("fk_member_merges_merged_member_id_household_members"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_merges")),
        sa.UniqueConstraint("merged_member_id", name=op.f("uq_member_merges_merged_member_id")),
    )  # fmt: skip
    with op.batch_alter_table("member_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_merges_kept_member_id"), ["kept_member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("member_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_merges_kept_member_id"))
    op.drop_table("member_merges")
    op.execute("DELETE FROM jobs WHERE kind = 'duplicate_search'")
    swap_values_check("jobs", "ck_jobs_job_kind", "kind", NEW_KINDS, OLD_KINDS)
