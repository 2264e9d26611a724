"""individuals in households: members, the history of return confirmations, and the duplicate-review list

Revision ID: 0023
Revises: 0019
Create Date: 2026-12-02 02:53:10

Three new tables and no change to `households`: a household's size is derived from its members when it has any
(households.rules), and its consent_to_return stays the latest confirmation's answer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "household_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum("female", "male", name="member_sex", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column(
            "document_type",
            sa.Enum(
                "national_id",
                "passport",
                "birth_certificate",
                "idp_card",
                name="member_document_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("specific_needs", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(document_type IS NULL) = (document_number IS NULL)", name=op.f("ck_household_members_document_whole")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_household_members_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_members")),
        sa.UniqueConstraint("household_id", "number", name=op.f("uq_household_members_household_id")),
    )
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_members_document_number"), ["document_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_members_household_id"), ["household_id"], unique=False)

    op.create_table(
        "return_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("confirmed_on", sa.Date(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "in_person",
                "phone",
                "field_visit",
                "written",
                name="confirmation_method",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("taken_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_return_confirmations_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_confirmations")),
    )
    with op.batch_alter_table("return_confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_confirmations_household_id"), ["household_id"], unique=False)

    op.create_table(
        "duplicate_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("other_member_id", sa.Integer(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("agreements", sa.JSON(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "same_person",
                "different",
                name="duplicate_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_members.id"],
            name=op.f("fk_duplicate_candidates_member_id_household_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_member_id"],
            ["household_members.id"],
            name=op.f("fk_duplicate_candidates_other_member_id_household_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidates")),
        sa.UniqueConstraint("member_id", "other_member_id", name=op.f("uq_duplicate_candidates_member_id")),
    )
    with op.batch_alter_table("duplicate_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_candidates_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_candidates_other_member_id"), ["other_member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_candidates_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duplicate_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_candidates_status"))
        batch_op.drop_index(batch_op.f("ix_duplicate_candidates_other_member_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_candidates_member_id"))

    op.drop_table("duplicate_candidates")
    with op.batch_alter_table("return_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_confirmations_household_id"))

    op.drop_table("return_confirmations")
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_members_household_id"))
        batch_op.drop_index(batch_op.f("ix_household_members_document_number"))

    op.drop_table("household_members")
