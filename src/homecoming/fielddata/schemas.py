"""What the review queue shows and what a reviewer sends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from homecoming.fielddata.models import SubmissionSource, SubmissionStatus
from homecoming.input_rules import InputModel


class SubmissionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str  # the instanceID
    form_id: str
    form_version: str
    source: SubmissionSource
    status: SubmissionStatus
    received_at: dt.datetime
    fields: dict[str, Any]
    files: list[dict[str, Any]]
    reason: str | None = None
    applied_table: str | None = None
    applied_code: str | None = None
    version: int


class Decision(InputModel):
    """Approve (the reason is not needed), reject or send back for correction (the reason is required)."""

    reason: str | None = Field(default=None, max_length=2000)
    record_version: int | None = None  # approving a change of a versioned record: the version the reviewer saw


class CurrentRecord(BaseModel):
    """The registry record a stale approval was made against (its version moved on since the reviewer read it)."""

    table: str
    code: str
    version: int
