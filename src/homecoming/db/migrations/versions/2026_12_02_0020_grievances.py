"""grievances and feedback: filed by anyone, routed to a role, answered in the open (issue 22, item 1)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 03:00:00

One new table; nothing existing changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("settlement", "project", "tender", "allocation", "convoy")
CATEGORIES = ("complaint", "feedback", "question", "fraud_or_corruption", "safety", "discrimination", "other")
ROLES = ("public", "viewer", "data_entry", "planner", "mine_action_officer", "registrar", "procurement_officer",
         "admin", "contractor", "enumerator")  # fmt: skip
STATUSES = ("open", "escalated", "answered")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "grievances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=32), nullable=False),
        sa.Column("subject_kind", _enum("grievance_subject_kind", KINDS), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("category", _enum("grievance_category", CATEGORIES), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("assigned_role", _enum("grievance_assigned_role", ROLES), nullable=False),
        sa.Column("status", _enum("grievance_status", STATUSES), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("photo_key", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_grievances_district_id_districts")),
        sa.ForeignKeyConstraint(["settlement_id"], ["settlements.id"],
                                name=op.f("fk_grievances_settlement_id_settlements")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"], name=op.f("fk_grievances_answered_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievances")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_grievances_tracking_code")),
    )  # fmt: skip
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        for column in ("district_id", "settlement_id"):
            batch_op.create_index(batch_op.f(f"ix_grievances_{column}"), [column], unique=False)
        batch_op.create_index("ix_grievances_status_due_at", ["status", "due_at"], unique=False)


def downgrade() -> None:
    op.drop_table("grievances")
