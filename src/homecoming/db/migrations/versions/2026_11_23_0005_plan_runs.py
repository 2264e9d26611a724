"""plan runs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:44:27.001027
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "plan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("scenario", sa.String(length=100), nullable=False),
        sa.Column("assumptions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("start_month", sa.Date(), nullable=False),
        sa.Column("sequencing_status", sa.String(length=16), nullable=False),
        sa.Column("people_months", sa.Integer(), nullable=False),
        sa.Column("people_months_bound", sa.Integer(), nullable=False),
        sa.Column("allocation_status", sa.String(length=16), nullable=False),
        sa.Column("allocation_objective", sa.Float(), nullable=False),
        sa.Column("allocation_bound", sa.Float(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("data_issues", sa.JSON(), nullable=False),
        sa.Column("schedule_problem", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_runs")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_runs_code")),
    )
    with op.batch_alter_table("plan_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_runs_scenario"), ["scenario"], unique=False)

    op.create_table(
        "plan_convoys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("move_date", sa.Date(), nullable=False),
        sa.Column("vehicles", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_run_id"], ["plan_runs.id"], name=op.f("fk_plan_convoys_plan_run_id_plan_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_plan_convoys_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_convoys")),
    )
    with op.batch_alter_table("plan_convoys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_convoys_plan_run_id"), ["plan_run_id"], unique=False)

    op.create_table(
        "plan_settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("ready_period", sa.Integer(), nullable=False),
        sa.Column("ready_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_run_id"],
            ["plan_runs.id"],
            name=op.f("fk_plan_settlements_plan_run_id_plan_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_plan_settlements_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_settlements")),
    )
    with op.batch_alter_table("plan_settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_settlements_plan_run_id"), ["plan_run_id"], unique=False)

    op.create_table(
        "plan_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("rooms", sa.Integer(), nullable=True),
        sa.Column("period", sa.Integer(), nullable=True),
        sa.Column("move_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_plan_allocations_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_run_id"],
            ["plan_runs.id"],
            name=op.f("fk_plan_allocations_plan_run_id_plan_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_plan_allocations_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_allocations")),
    )
    with op.batch_alter_table("plan_allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_allocations_plan_run_id"), ["plan_run_id"], unique=False)

    op.create_table(
        "plan_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("hazard_area_id", sa.Integer(), nullable=True),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("start_period", sa.Integer(), nullable=False),
        sa.Column("end_period", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"],
            ["hazard_areas.id"],
            name=op.f("fk_plan_tasks_hazard_area_id_hazard_areas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_run_id"], ["plan_runs.id"], name=op.f("fk_plan_tasks_plan_run_id_plan_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_plan_tasks_project_id_projects"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlements.id"], name=op.f("fk_plan_tasks_settlement_id_settlements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_tasks")),
    )
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_tasks_plan_run_id"), ["plan_run_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_tasks_plan_run_id"))

    op.drop_table("plan_tasks")
    with op.batch_alter_table("plan_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_allocations_plan_run_id"))

    op.drop_table("plan_allocations")
    with op.batch_alter_table("plan_settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_settlements_plan_run_id"))

    op.drop_table("plan_settlements")
    with op.batch_alter_table("plan_convoys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_convoys_plan_run_id"))

    op.drop_table("plan_convoys")
    with op.batch_alter_table("plan_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_runs_scenario"))

    op.drop_table("plan_runs")
