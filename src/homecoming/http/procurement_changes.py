"""What the API returns and the pages show of tender complaints and contract amendments. Who sees which field is
decided in the domain (`complaint_actions.visible_complaints`, `amendment_actions.visible_amendments`); these
functions only render it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming.files.models import Attachment
from homecoming.procurement import amendments
from homecoming.procurement.amendment_actions import AmendmentSeen
from homecoming.procurement.complaint_actions import ComplaintSeen
from homecoming.procurement.models import AmendmentStatus, ComplaintRemedy, ComplaintStatus, Contract


class ComplaintOut(BaseModel):
    code: str
    filed_at: dt.datetime
    status: ComplaintStatus
    remedy: ComplaintRemedy | None
    decision_reason: str | None
    decided_at: dt.datetime | None
    complainant: str | None  # the company: its own account and staff only
    grounds: str | None  # its own account and staff only
    complainant_name: str | None = None  # the company's name: as `complainant`


class ComplaintsOut(BaseModel):
    tender_code: str
    standstill_ends_at: dt.datetime | None
    count: int
    open: int
    complaints: list[ComplaintOut]


class DocumentOut(BaseModel):
    name: str
    media_type: str
    sha256: str
    size_bytes: int


class AmendmentOut(BaseModel):
    number: int
    status: AmendmentStatus
    reason: str
    scope: str | None
    old_value: float
    new_value: float
    old_end_date: dt.date | None
    new_end_date: dt.date | None
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    requested_by: str | None  # staff only
    decided_by: str | None  # staff only
    documents: list[DocumentOut]


class AmendmentsOut(BaseModel):
    contract_code: str
    currency: str
    original_value: float
    value: float
    original_end_date: dt.date | None
    end_date: dt.date | None
    amendments: list[AmendmentOut]


def complaint_out(seen: ComplaintSeen) -> ComplaintOut:
    return ComplaintOut.model_validate(seen, from_attributes=True)


def complaints_out(
    tender_code: str, standstill_ends_at: dt.datetime | None, seen: list[ComplaintSeen]
) -> ComplaintsOut:
    rows = [complaint_out(s) for s in seen]
    waiting = sum(1 for s in seen if s.status is ComplaintStatus.OPEN)
    return ComplaintsOut(tender_code=tender_code, standstill_ends_at=standstill_ends_at, count=len(rows), open=waiting,
                         complaints=rows)  # fmt: skip


def amendment_out(seen: AmendmentSeen) -> AmendmentOut:
    a = seen.amendment
    return AmendmentOut(
        number=a.number, status=a.status, reason=a.reason, scope=a.scope, old_value=float(a.old_value),
        new_value=float(a.new_value), old_end_date=a.old_end_date, new_end_date=a.new_end_date,
        requested_at=a.requested_at, decided_at=a.decided_at, requested_by=seen.requested_by,
        decided_by=seen.decided_by, documents=[document_out(d) for d in seen.documents],
    )  # fmt: skip


def document_out(document: Attachment) -> DocumentOut:
    return DocumentOut(name=document.original_name, media_type=document.media_type, sha256=document.sha256,
                       size_bytes=document.size_bytes)  # fmt: skip


def amendments_out(session: Session, contract: Contract, seen: list[AmendmentSeen]) -> AmendmentsOut:
    return AmendmentsOut(
        contract_code=contract.code,
        currency=contract.currency,
        original_value=amendments.original_value(session, contract),
        value=float(contract.value),
        original_end_date=amendments.original_end_date(session, contract),
        end_date=amendments.end_date(session, contract),
        amendments=[amendment_out(s) for s in seen],
    )
