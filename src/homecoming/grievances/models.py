"""A grievance or a piece of feedback: filed by anyone, routed to the role that answers it, answered in the open.

The contact and the text are the filer's: neither is ever shown by the public lookup, and the contact is shown to
staff only in the role the grievance was routed to (and to admin)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.accounts.roles import Role
from homecoming.db.base import Base
from homecoming.db.types import str_enum


class SubjectKind(enum.StrEnum):
    """What a grievance is about: `<kind>:<code>` (an allocation is named by its household's code)."""

    SETTLEMENT = "settlement"
    PROJECT = "project"
    TENDER = "tender"
    ALLOCATION = "allocation"
    CONVOY = "convoy"


class GrievanceCategory(enum.StrEnum):
    COMPLAINT = "complaint"
    FEEDBACK = "feedback"
    QUESTION = "question"
    FRAUD_OR_CORRUPTION = "fraud_or_corruption"
    SAFETY = "safety"
    DISCRIMINATION = "discrimination"
    OTHER = "other"


class GrievanceStatus(enum.StrEnum):
    OPEN = "open"  # with the role it was routed to, within its service time
    ESCALATED = "escalated"  # its service time passed unanswered: with admin too
    ANSWERED = "answered"  # the response is public


class Grievance(Base):
    __tablename__ = "grievances"
    __table_args__ = (Index("ix_grievances_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, never sequential (`rules.new_tracking_code`): knowing one tells nothing of another.
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    subject_kind: Mapped[SubjectKind] = mapped_column(str_enum(SubjectKind, "grievance_subject_kind"))
    subject_code: Mapped[str] = mapped_column(String(64))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    category: Mapped[GrievanceCategory] = mapped_column(str_enum(GrievanceCategory, "grievance_category"))
    text: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))  # private: the assigned role and admin only
    assigned_role: Mapped[Role] = mapped_column(str_enum(Role, "grievance_assigned_role"))
    status: Mapped[GrievanceStatus] = mapped_column(str_enum(GrievanceStatus, "grievance_status"))
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime)  # naive UTC, as the server clock gives it
    due_at: Mapped[dt.datetime] = mapped_column(DateTime)  # filed_at + the category's service time
    escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    response: Mapped[str | None] = mapped_column(Text)  # public
    # The filer's photograph, as the files store keeps its metadata-free copy (no geotag, no camera data: the
    # original is never stored); staff only.
    photo_key: Mapped[str | None] = mapped_column(String(255))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency (answers)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def code(self) -> str:
        """The name the audit trail and a stale-version refusal use."""
        return self.tracking_code
