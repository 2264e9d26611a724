"""jobs: durable jobs taken by worker processes (plan runs, risk runs, sweeps); replaces plan_jobs

The plan_jobs rows move over as plan_run jobs (their assumptions become the payload's scenario); jobs left queued or
running by the old in-process threads are failed with plan.interrupted, as the old server would have said.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("plan_run", "risk_run", "sweep")
STATUSES = ("queued", "running", "done", "failed", "cancelled")
INTERRUPTED = "the server stopped while this plan run was under way; start it again under another code"


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _plan_jobs_table() -> sa.TableClause:
    return sa.table(
        "plan_jobs", sa.column("code", sa.String), sa.column("status", sa.String), sa.column("stage", sa.String),
        sa.column("percent", sa.Integer), sa.column("message", sa.Text), sa.column("error_code", sa.String),
        sa.column("assumptions", sa.JSON), sa.column("requested_by", sa.String), sa.column("created_at", sa.DateTime),
        sa.column("started_at", sa.DateTime), sa.column("finished_at", sa.DateTime),
    )  # fmt: skip


def _create_jobs() -> sa.Table:
    return op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", _enum("job_kind", KINDS), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", _enum("job_status", STATUSES), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("code", name=op.f("uq_jobs_code")),
    )


def upgrade() -> None:
    jobs = _create_jobs()
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_status"), ["status"], unique=False)
    op.create_table(
        "job_workers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("hostname", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_workers")),
        sa.UniqueConstraint("name", name=op.f("uq_job_workers_name")),
    )
    with op.batch_alter_table("job_workers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_workers_heartbeat_at"), ["heartbeat_at"], unique=False)
    rows = []
    for old in op.get_bind().execute(sa.select(_plan_jobs_table())).mappings():
        row = dict(old)
        lost = row["status"] in ("queued", "running")
        rows.append({
            "code": row["code"], "kind": "plan_run", "payload": {"scenario": row["assumptions"]},
            "status": "failed" if lost else row["status"], "stage": row["stage"], "percent": row["percent"],
            "message": INTERRUPTED if lost else row["message"],
            "error_code": "plan.interrupted" if lost else row["error_code"], "attempts": 1, "cancel_requested": False,
            "requested_by": row["requested_by"], "created_at": row["created_at"], "started_at": row["started_at"],
            "finished_at": row["finished_at"] or (row["created_at"] if lost else None),
        })  # fmt: skip
    if rows:
        op.bulk_insert(jobs, rows)
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_jobs_status"))
    op.drop_table("plan_jobs")


def downgrade() -> None:
    plan_jobs = op.create_table(
        "plan_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("status", _enum("plan_job_status", STATUSES[:4]), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("assumptions", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_jobs")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_jobs_code")),
    )
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_jobs_status"), ["status"], unique=False)
    jobs = sa.table(
        "jobs", sa.column("code", sa.String), sa.column("kind", sa.String), sa.column("payload", sa.JSON),
        sa.column("status", sa.String), sa.column("stage", sa.String), sa.column("percent", sa.Integer),
        sa.column("message", sa.Text), sa.column("error_code", sa.String), sa.column("requested_by", sa.String),
        sa.column("created_at", sa.DateTime), sa.column("started_at", sa.DateTime),
        sa.column("finished_at", sa.DateTime),
    )  # fmt: skip
    rows = []
    for job in op.get_bind().execute(sa.select(jobs).where(jobs.c.kind == "plan_run")).mappings():
        row = {k: v for k, v in job.items() if k not in ("kind", "payload")}
        row["assumptions"] = (job["payload"] or {}).get("scenario", {})
        if row["status"] == "cancelled":  # the old table knew no cancelling
            row |= {"status": "failed", "error_code": "job.cancelled"}
        rows.append(row)
    if rows:
        op.bulk_insert(plan_jobs, rows)
    with op.batch_alter_table("job_workers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_workers_heartbeat_at"))
    op.drop_table("job_workers")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_jobs_kind"))
    op.drop_table("jobs")
