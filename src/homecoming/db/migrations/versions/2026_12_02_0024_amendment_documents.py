"""documents on contract amendments: attachments may belong to a variation order (issue 22, item 3)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 04:30:00

A nullable `attachments.amendment_id` and the owner CHECK widened from two owners to three (exactly one is set).
Nothing points at attachments, so on SQLite the table is copied (a batch from the table as it stands); PostgreSQL
alters it in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_attachments_exactly_one_owner"
FK = "fk_attachments_amendment_id_contract_amendments"
INDEX = "ix_attachments_amendment_id"
TWO = "(damaged_object_id IS NULL) <> (heritage_site_id IS NULL)"
THREE = (
    "(CASE WHEN damaged_object_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN heritage_site_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN amendment_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def _attachments(with_amendment: bool) -> sa.Table:
    """The table as it stands before (False) or after (True) this revision: what SQLite's batch copies from."""
    columns: list[sa.schema.SchemaItem] = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("damaged_object_id", sa.Integer(), nullable=True),
        sa.Column("heritage_site_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=255), nullable=False),
        sa.Column("public_path", sa.String(length=255), nullable=True),
        sa.Column("geotag_lat", sa.Float(), nullable=True),
        sa.Column("geotag_lon", sa.Float(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(THREE if with_amendment else TWO, name=CHECK),
        sa.CheckConstraint("size_bytes >= 0", name="ck_attachments_size_bytes_non_negative"),
        sa.ForeignKeyConstraint(
            ["damaged_object_id"], ["damaged_objects.id"], name="fk_attachments_damaged_object_id_damaged_objects",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["heritage_site_id"], ["heritage_sites.id"], name="fk_attachments_heritage_site_id_heritage_sites",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
        sa.Index("ix_attachments_damaged_object_id", "damaged_object_id"),
        sa.Index("ix_attachments_heritage_site_id", "heritage_site_id"),
        sa.Index("ix_attachments_sha256", "sha256"),
    ]  # fmt: skip
    if with_amendment:
        columns.append(sa.Column("amendment_id", sa.Integer(), nullable=True))
        columns.append(
            sa.ForeignKeyConstraint(["amendment_id"], ["contract_amendments.id"], name=FK, ondelete="CASCADE")
        )
    return sa.Table("attachments", sa.MetaData(), *columns)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    kwargs = {"copy_from": _attachments(False), "recreate": "always"} if sqlite else {}
    with op.batch_alter_table("attachments", **kwargs) as batch_op:  # type: ignore[arg-type]
        batch_op.add_column(sa.Column("amendment_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f(FK), "contract_amendments", ["amendment_id"], ["id"], ondelete="CASCADE")
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), sa.text(THREE))
    op.create_index(op.f(INDEX), "attachments", ["amendment_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM attachments WHERE amendment_id IS NOT NULL")
    op.drop_index(op.f(INDEX), table_name="attachments")
    sqlite = op.get_bind().dialect.name == "sqlite"
    kwargs = {"copy_from": _attachments(True), "recreate": "always"} if sqlite else {}
    with op.batch_alter_table("attachments", **kwargs) as batch_op:  # type: ignore[arg-type]
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), sa.text(TWO))
        batch_op.drop_constraint(op.f(FK), type_="foreignkey")
        batch_op.drop_column("amendment_id")
