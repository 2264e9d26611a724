"""What the API returns and the pages show of tender complaints and contract amendments. Who sees which field is
decided in the domain (`complaint_actions.visible_complaints`, `amendment_actions.visible_amendments`), whose seen
dataclasses are the answers' schemas as they are; these functions only add the lists' totals."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming.procurement import amendments
from homecoming.procurement.amendment_actions import AmendmentSeen
from homecoming.procurement.complaint_actions import ComplaintSeen
from homecoming.procurement.models import ComplaintStatus, Contract


class ComplaintsOut(BaseModel):
    tender_code: str
    standstill_ends_at: dt.datetime | None
    count: int
    open: int
    complaints: list[ComplaintSeen]


class AmendmentsOut(BaseModel):
    contract_code: str
    currency: str
    original_value: float
    value: float
    original_end_date: dt.date | None
    end_date: dt.date | None
    amendments: list[AmendmentSeen]


def complaints_out(
    tender_code: str, standstill_ends_at: dt.datetime | None, seen: list[ComplaintSeen]
) -> ComplaintsOut:
    waiting = sum(1 for s in seen if s.status is ComplaintStatus.OPEN)
    return ComplaintsOut(tender_code=tender_code, standstill_ends_at=standstill_ends_at, count=len(seen), open=waiting,
                         complaints=seen)  # fmt: skip


def amendments_out(session: Session, contract: Contract, seen: list[AmendmentSeen]) -> AmendmentsOut:
    return AmendmentsOut(
        contract_code=contract.code,
        currency=contract.currency,
        original_value=amendments.original_value(session, contract),
        value=float(contract.value),
        original_end_date=amendments.original_end_date(session, contract),
        end_date=amendments.end_date(session, contract),
        amendments=seen,
    )
