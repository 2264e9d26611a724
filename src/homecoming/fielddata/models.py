"""A field submission waiting in the review queue: what an enumerator sent, never the registry's record itself."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base
from homecoming.db.types import str_enum


class SubmissionStatus(enum.StrEnum):
    PENDING = "pending"  # waits for a reviewer
    APPROVED = "approved"  # applied to the registry through the domain's use-case
    REJECTED = "rejected"  # refused with a reason; nothing applied
    CORRECTION = "correction"  # sent back: the enumerator corrects and submits again (a new instance)


class SubmissionSource(enum.StrEnum):
    OPENROSA = "openrosa"  # ODK Collect speaking to /odk/submission
    CENTRAL = "central"  # an ODK Central CSV/ZIP export
    KOBO = "kobo"  # a KoboToolbox JSON export


class FieldSubmission(Base):
    """One form instance, keyed by its instanceID (`uuid:...`) so the same instance sent twice is stored once.

    `fields` holds the answers by field name as sent (text); `files` the checked photos ({name, key, media_type,
    sha256, size_bytes}), their originals kept in the file store until the submission is applied."""

    __tablename__ = "field_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # the instanceID
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    form_version: Mapped[str] = mapped_column(String(32))
    source: Mapped[SubmissionSource] = mapped_column(str_enum(SubmissionSource, "submission_source"))
    status: Mapped[SubmissionStatus] = mapped_column(str_enum(SubmissionStatus, "submission_status"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected or sent back
    applied_table: Mapped[str | None] = mapped_column(String(64))  # the registry record it became, once approved
    applied_code: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # two reviewers never both decide
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
