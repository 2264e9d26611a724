"""committee keys: committee members with public keys of their own; each tender seat holds its share sealed to them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:00:00

Until now publication handed all n shares to the one caller, and the tender kept its private key wrapped under
the key those shares rebuild. Both go: `tenders.wrapped_private_key` and the old per-tender `committee_members`
(names and share hashes) are dropped; `committee_members` becomes the register of members and their public
keys, and `committee_seats` holds, per tender, each member's share sealed to the member's key.

A tender still taking bids under the old procedure cannot be carried over (its shares were all seen by one
person, and the new opening needs sealed ones): the upgrade refuses, naming them, until they are cancelled and
published again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refuse_tenders_in_flight() -> None:
    rows = op.get_bind().execute(
        sa.text("SELECT code FROM tenders WHERE status IN ('enquiries', 'tendering') ORDER BY code")
    )
    codes = [row[0] for row in rows]
    if codes:
        raise RuntimeError(
            "these tenders were published under the old opening procedure (every share given to one person) and "
            f"are still open: {', '.join(codes)}. Cancel them (`homecoming tender cancel CODE REASON`), then "
            "upgrade and publish them again with the members' own keys."
        )


def upgrade() -> None:
    _refuse_tenders_in_flight()
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_tender_id"))
    op.drop_table("committee_members")
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_column("wrapped_private_key")
    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_committee_members_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
        sa.UniqueConstraint("name", name=op.f("uq_committee_members_name")),
        sa.UniqueConstraint("public_key", name=op.f("uq_committee_members_public_key")),
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_members_user_id"), ["user_id"], unique=False)
    op.create_table(
        "committee_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("share_index", sa.Integer(), nullable=False),
        sa.Column("sealed_share", sa.LargeBinary(length=128), nullable=False),
        sa.Column("share_sha256", sa.String(length=64), nullable=False),
        sa.Column("share_given", sa.LargeBinary(length=32), nullable=True),
        sa.Column("given_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["committee_members.id"], name=op.f("fk_committee_seats_member_id_committee_members")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_committee_seats_tender_id_tenders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_seats")),
        sa.UniqueConstraint("tender_id", "member_id", name="uq_committee_seats_member"),
        sa.UniqueConstraint("tender_id", "share_index", name="uq_committee_seats_index"),
    )
    with op.batch_alter_table("committee_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_seats_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_seats_tender_id"), ["tender_id"], unique=False)


def downgrade() -> None:
    """Back to the old tables, empty: the sealed shares cannot become the old wrapped key."""
    _refuse_tenders_in_flight()
    with op.batch_alter_table("committee_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_seats_tender_id"))
        batch_op.drop_index(batch_op.f("ix_committee_seats_member_id"))
    op.drop_table("committee_seats")
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_user_id"))
    op.drop_table("committee_members")
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wrapped_private_key", sa.LargeBinary(length=128), nullable=True))
    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("share_index", sa.Integer(), nullable=False),
        sa.Column("share_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_committee_members_tender_id_tenders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
        sa.UniqueConstraint("tender_id", "share_index", name="uq_committee_members_index"),
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_members_tender_id"), ["tender_id"], unique=False)
