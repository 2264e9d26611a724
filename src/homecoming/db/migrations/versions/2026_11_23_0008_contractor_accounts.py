"""contractor accounts: the `contractor` role and the link from an account to its company (a bidder);
a version column on tenders for optimistic concurrency of the API's transitions

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 12:30:00

The role column is a string with a CHECK listing the roles (str_enum). PostgreSQL swaps the CHECK. SQLite cannot
alter a CHECK, and a batch copy of `users` is out of the question: dropping the old table would fire the foreign
key actions of api_tokens (CASCADE: every token gone) and audit_entries (SET NULL on an append-only table). So on
SQLite the CHECK is widened in place by SQLite's own documented procedure for changing a constraint that every
existing row already satisfies (https://www.sqlite.org/lang_altertable.html, "otheralter", the simpler
procedure): rewrite the table's CREATE statement in sqlite_schema and bump schema_version. The column itself is
a plain ADD COLUMN (allowed with a REFERENCES clause when its default is NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from homecoming.db.schema_edits import sqlite_rewrite, swap_values_check

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("public", "viewer", "data_entry", "planner", "mine_action_officer", "registrar", "procurement_officer",
             "admin")  # fmt: skip
NEW_ROLES = (*OLD_ROLES, "contractor")


FK_CLAUSE = " CONSTRAINT fk_users_bidder_id_bidders REFERENCES bidders (id)"


def upgrade() -> None:
    swap_values_check("users", "ck_users_role", "role", OLD_ROLES, NEW_ROLES)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users ADD COLUMN bidder_id INTEGER" + FK_CLAUSE)
    else:
        op.add_column("users", sa.Column("bidder_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_users_bidder_id_bidders"), "users", "bidders", ["bidder_id"], ["id"])
    op.create_index(op.f("ix_users_bidder_id"), "users", ["bidder_id"], unique=False)
    op.execute("ALTER TABLE tenders ADD COLUMN version INTEGER DEFAULT 1 NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE tenders DROP COLUMN version")
    # A contractor who wrote to the append-only trail (a bid) cannot go: deleting it would set its entries' user_id
    # to NULL, which the trail refuses. It stays, as a deactivated viewer (the demo's contractor bids, for one).
    op.execute(
        "UPDATE users SET role = 'viewer', active = false WHERE role = 'contractor' "
        "AND id IN (SELECT user_id FROM audit_entries WHERE user_id IS NOT NULL)"
    )
    op.execute("DELETE FROM users WHERE role = 'contractor'")
    op.drop_index(op.f("ix_users_bidder_id"), table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        sqlite_rewrite("users", FK_CLAUSE, "")  # SQLite drops no column that a foreign key uses
    else:
        op.drop_constraint(op.f("fk_users_bidder_id_bidders"), "users", type_="foreignkey")
    # Plain DROP COLUMN (SQLite >= 3.35): a batch copy of users would break the foreign keys into it.
    op.execute("ALTER TABLE users DROP COLUMN bidder_id")
    swap_values_check("users", "ck_users_role", "role", NEW_ROLES, OLD_ROLES)
