"""What a filer sends and what each reader gets back: the public answer never carries the text or the contact."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from homecoming.accounts.roles import Role
from homecoming.grievances.models import GrievanceCategory, GrievanceStatus, SubjectKind
from homecoming.input_rules import InputModel
from homecoming.versions import Versioned

TEXT_MAX_CHARS = 4000  # a grievance is a message, not a document (a photograph or file goes beside it)
CONTACT_MAX_CHARS = 200  # the column's width
RESPONSE_MAX_CHARS = 4000


class GrievanceCreate(InputModel):
    about: str = Field(
        max_length=80,
        description="what it is about: settlement:<code>, project:<code>, tender:<code>, allocation:<household "
        "code> or convoy:<code>",
    )
    category: GrievanceCategory
    text: str = Field(min_length=1, max_length=TEXT_MAX_CHARS)
    contact: str | None = Field(
        default=None,
        max_length=CONTACT_MAX_CHARS,
        description="how to reach the filer (phone, e-mail); shown only to the staff who answer, never published",
    )


class GrievanceAnswer(Versioned):
    response: str = Field(min_length=1, max_length=RESPONSE_MAX_CHARS, description="published with the grievance")


class GrievancePublic(BaseModel):
    """What anyone holding the tracking code reads: no text, no contact, no staff names."""

    tracking_code: str
    status: GrievanceStatus
    category: GrievanceCategory
    subject_kind: SubjectKind
    subject_code: str
    filed_at: dt.datetime
    due_at: dt.datetime
    escalated_at: dt.datetime | None
    answered_at: dt.datetime | None
    response: str | None


class GrievanceStaff(GrievancePublic):
    """What the answering staff read; `contact` is None unless the reader is the assigned role or admin."""

    district_code: str | None
    settlement_code: str | None
    assigned_role: Role
    text: str
    contact: str | None
    contact_withheld: bool  # a contact was given, and this reader may not see it
    has_photo: bool  # GET /api/grievances/{tracking_code}/photo
    version: int
