"""field data: the review queue of ODK Collect / KoboToolbox submissions, and the `enumerator` role

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 00:00:00

`field_submissions` holds what enumerators sent until a reviewer approves, rejects or sends it back. The role
column's CHECK is widened to `enumerator` as migration 0008 widened it to `contractor` (on SQLite by rewriting the
users table's CREATE statement in place; see 0008's docstring for why no batch copy of `users`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from homecoming.db.schema_edits import swap_values_check

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("public", "viewer", "data_entry", "planner", "mine_action_officer", "registrar", "procurement_officer",
             "admin", "contractor")  # fmt: skip
NEW_ROLES = (*OLD_ROLES, "enumerator")
SOURCES = ("openrosa", "central", "kobo")
STATUSES = ("pending", "approved", "rejected", "correction")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    swap_values_check("users", "ck_users_role", "role", OLD_ROLES, NEW_ROLES)
    op.create_table(
        "field_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("form_version", sa.String(length=32), nullable=False),
        sa.Column("source", _enum("submission_source", SOURCES), nullable=False),
        sa.Column("status", _enum("submission_status", STATUSES), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("applied_table", sa.String(length=64), nullable=True),
        sa.Column("applied_code", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"],
                                name=op.f("fk_field_submissions_district_id_districts")),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["users.id"],
                                name=op.f("fk_field_submissions_reviewed_by_id_users")),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["users.id"],
                                name=op.f("fk_field_submissions_submitted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_submissions")),
        sa.UniqueConstraint("code", name=op.f("uq_field_submissions_code")),
    )  # fmt: skip
    with op.batch_alter_table("field_submissions", schema=None) as batch_op:
        for column in ("district_id", "form_id", "status", "submitted_by_id"):
            batch_op.create_index(batch_op.f(f"ix_field_submissions_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("field_submissions")
    op.execute("DELETE FROM users WHERE role = 'enumerator'")
    swap_values_check("users", "ck_users_role", "role", NEW_ROLES, OLD_ROLES)
