"""Complaints against an award, and the standstill that gives bidders time to file them (issue 22).

The award starts the standstill (`Tender.standstill_ends_at`, from the `standstill_days` setting); until it ends,
and while any complaint is open, the contract cannot be signed. A complaint comes from a company that bid, within
the standstill. Its decision: rejected (signing may go ahead once the standstill is over), or upheld, with a remedy:
the tender goes back to its opened bids to be evaluated again (a new award starts a new standstill), or is
cancelled. These functions flush; who may do each is `complaint_actions`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, RuleViolation
from homecoming.procurement.models import (
    Bid,
    ComplaintRemedy,
    ComplaintStatus,
    Tender,
    TenderComplaint,
    TenderStatus,
)
from homecoming.procurement.service import forget_given_shares, move


def complaints_of(session: Session, tender: Tender) -> list[TenderComplaint]:
    query = select(TenderComplaint).where(TenderComplaint.tender_id == tender.id)
    return list(session.scalars(query.order_by(TenderComplaint.filed_at, TenderComplaint.id)))


def open_complaints(session: Session, tender: Tender) -> list[TenderComplaint]:
    return [c for c in complaints_of(session, tender) if c.status is ComplaintStatus.OPEN]


def check_signable(session: Session, tender: Tender, now: dt.datetime) -> None:
    """Refuse the signing during the standstill and while a complaint is open (both 409: wait, or decide first)."""
    if tender.standstill_ends_at is not None and now < tender.standstill_ends_at:
        raise Conflict(
            "procurement.standstill",
            f"the standstill on {tender.code} ends at {tender.standstill_ends_at:%Y-%m-%d %H:%M} UTC; bidders may "
            "complain until then and the contract cannot be signed before",
            {"tender": tender.code, "standstill_ends_at": tender.standstill_ends_at.isoformat()},
        )
    waiting = open_complaints(session, tender)
    if waiting:
        raise Conflict(
            "procurement.complaint_open",
            f"{len(waiting)} complaint(s) against the award of {tender.code} are open; decide them first",
            {"tender": tender.code, "complaints": [c.code for c in waiting]},
        )


def file_complaint(session: Session, tender: Tender, bidder_id: int, grounds: str, now: dt.datetime) -> TenderComplaint:
    """Only within the standstill of an awarded tender, only by a company that bid, one open complaint each."""
    if tender.status is not TenderStatus.AWARDED or tender.standstill_ends_at is None:
        raise RuleViolation(
            "complaint.not_awarded",
            f"tender {tender.code} is {tender.status}: complaints are filed against an award, within its standstill",
            {"tender": tender.code, "status": str(tender.status)},
        )
    if now >= tender.standstill_ends_at:
        raise RuleViolation(
            "complaint.after_standstill",
            f"the standstill on {tender.code} ended at {tender.standstill_ends_at:%Y-%m-%d %H:%M} UTC",
            {"tender": tender.code, "standstill_ends_at": tender.standstill_ends_at.isoformat()},
        )
    mine = [c for c in open_complaints(session, tender) if c.bidder_id == bidder_id]
    if mine:
        raise Conflict(
            "complaint.already_open", f"your complaint {mine[0].code} is still open", {"complaint": mine[0].code}
        )
    count = session.scalar(select(func.count()).where(TenderComplaint.tender_id == tender.id)) or 0
    complaint = TenderComplaint(
        code=f"{tender.code}-C{count + 1}",
        tender_id=tender.id,
        bidder_id=bidder_id,
        grounds=grounds,
        filed_at=now,
        status=ComplaintStatus.OPEN,
    )
    session.add(complaint)
    session.flush()
    return complaint


def bid_in(session: Session, tender: Tender, bidder_id: int) -> bool:
    query = select(Bid.id).where(Bid.tender_id == tender.id, Bid.bidder_id == bidder_id)
    return session.scalars(query).first() is not None


def decide_complaint(
    session: Session, complaint: TenderComplaint, upheld: bool, remedy: ComplaintRemedy | None, reason: str,
    now: dt.datetime,
) -> TenderComplaint:  # fmt: skip
    if complaint.status is not ComplaintStatus.OPEN:
        raise Conflict(
            "complaint.already_decided", f"complaint {complaint.code} is {complaint.status} already",
            {"complaint": complaint.code, "status": str(complaint.status)},
        )  # fmt: skip
    if upheld and remedy is None:
        raise RuleViolation(
            "complaint.remedy_missing", "an upheld complaint needs a remedy: re_evaluate or cancel", {"field": "remedy"}
        )
    tender = session.get_one(Tender, complaint.tender_id)
    if upheld:
        _remedy(session, tender, remedy or ComplaintRemedy.CANCEL, complaint, reason, now)
    complaint.status = ComplaintStatus.UPHELD if upheld else ComplaintStatus.REJECTED
    complaint.remedy = remedy if upheld else None
    complaint.decision_reason, complaint.decided_at = reason, now
    session.flush()
    return complaint


def _remedy(
    session: Session, tender: Tender, remedy: ComplaintRemedy, complaint: TenderComplaint, reason: str,
    now: dt.datetime,
) -> None:  # fmt: skip
    if remedy is ComplaintRemedy.CANCEL:
        move(tender, TenderStatus.CANCELLED)
        forget_given_shares(session, tender)
        tender.closed_at, tender.close_reason = now, f"complaint {complaint.code} upheld: {reason}"
        return
    move(tender, TenderStatus.OPENING)  # the bids stay open; the committee evaluates (and may disqualify) again
    tender.evaluation_report = None
    tender.winning_bidder_id = tender.award_amount = tender.awarded_at = tender.standstill_ends_at = None
