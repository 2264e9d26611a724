"""the audit trail's hash chain: each entry holds the hash of the one before it and its own

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-01 18:00:00

The entries already written are chained here, oldest first, with the one canonical form (homecoming.audit.chain).
Writing their hashes is an UPDATE the append-only trigger of 0006 refuses, so the trigger is set aside for that one
statement: disabled on PostgreSQL, dropped on SQLite. On SQLite the columns become NOT NULL and `prev_hash` unique
by a batch copy of the table (nothing refers to audit_entries, so the copy is safe); the copy leaves the triggers
behind, so both are made again after it, with 0006's own statements.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from homecoming.audit.chain import GENESIS, HASHED_FIELDS, entry_hash

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRIES = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("user_id", sa.Integer()),
    sa.column("username", sa.String()),
    sa.column("action", sa.String()),
    sa.column("table_name", sa.String()),
    sa.column("record_code", sa.String()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("comment", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
SQLITE_TRIGGER = (
    "CREATE TRIGGER audit_entries_no_{action} BEFORE {ACTION} ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
)


def upgrade() -> None:
    op.add_column("audit_entries", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_entries", sa.Column("hash", sa.String(length=64), nullable=True))
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
    _chain_existing_entries()
    if postgresql:
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_entries_prev_hash"), ["prev_hash"])
    if not postgresql:
        _sqlite_triggers()


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_entries_prev_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    if op.get_bind().dialect.name != "postgresql":
        _sqlite_triggers()


def _chain_existing_entries() -> None:
    bind = op.get_bind()
    links, previous = [], GENESIS
    for row in bind.execute(sa.select(ENTRIES).order_by(ENTRIES.c.id)).mappings():
        values = {name: row[name] for name in HASHED_FIELDS if name != "prev_hash"}
        own = entry_hash({**values, "prev_hash": previous})
        links.append({"entry_id": row["id"], "previous": previous, "own": own})
        previous = own
    if links:
        chained = ENTRIES.update().where(ENTRIES.c.id == sa.bindparam("entry_id"))
        bind.execute(chained.values(prev_hash=sa.bindparam("previous"), hash=sa.bindparam("own")), links)


def _sqlite_triggers() -> None:
    """Both append-only triggers, made again where a batch copy of the table left them behind."""
    existing = {
        name for (name,) in op.get_bind().execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    }
    for action in ("update", "delete"):
        if f"audit_entries_no_{action}" not in existing:
            op.execute(SQLITE_TRIGGER.format(action=action, ACTION=action.upper()))
