"""Complaints' use-cases: a bidder files one within the standstill, an administrator decides it, and who sees what.

Who decides: an administrator (`DECIDERS`), never the procurement office whose evaluation and award are being
complained about (there is no separate review-body role; an admin account stands for it).

Who sees what (`visible_complaints`, the one rule for the API, the tender page, the CLI and the OCDS export): staff
(any account but a company's) see every complaint with its complainant and grounds; a contractor sees its own
company's in full; everyone else, and a contractor for other companies' complaints, sees that a complaint was filed,
when, its status and the decision with its reasons, never who complained nor the grounds they wrote (a company
should not fear being known as a complainant by the office it bids to; the grounds would often name it). The OCDS
export publishes exactly the public view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.permissions import require_role
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.errors import Forbidden, NotFound
from homecoming.procurement import complaints, service
from homecoming.procurement.actions import CONTRACTORS, Viewer, company_of, visible_tender
from homecoming.procurement.models import Bidder, ComplaintRemedy, ComplaintStatus, Tender, TenderComplaint
from homecoming.procurement.schemas import ComplaintCreate, ComplaintDecision

COMPLAINANTS = CONTRACTORS  # a company's account, for its own company
DECIDERS = (Role.ADMIN,)  # not the office that evaluated and awarded


@dataclass(frozen=True)
class ComplaintSeen:
    """A complaint as one viewer may see it: `complainant` (the company's code), `complainant_name` and `grounds`
    are None where withheld."""

    code: str
    filed_at: dt.datetime
    status: ComplaintStatus
    remedy: ComplaintRemedy | None
    decision_reason: str | None
    decided_at: dt.datetime | None
    complainant: str | None
    grounds: str | None
    complainant_name: str | None = None


def complaint_seen(complaint: TenderComplaint, bidder: Bidder, viewer: Viewer) -> ComplaintSeen:
    full = not viewer.is_outsider or (viewer.bidder_id is not None and viewer.bidder_id == bidder.id)
    return ComplaintSeen(
        complaint.code, complaint.filed_at, complaint.status, complaint.remedy, complaint.decision_reason,
        complaint.decided_at, bidder.code if full else None, complaint.grounds if full else None,
        bidder.name if full else None,
    )  # fmt: skip


def visible_complaints(session: Session, actor: User | None, code: str) -> list[ComplaintSeen]:
    tender = visible_tender(session, actor, code)
    return complaints_seen(session, tender, Viewer.of(actor))


def complaints_seen(session: Session, tender: Tender, viewer: Viewer) -> list[ComplaintSeen]:
    return [
        complaint_seen(c, session.get_one(Bidder, c.bidder_id), viewer)
        for c in complaints.complaints_of(session, tender)
    ]


def file_complaint(
    session: Session, actor: User | None, code: str, data: ComplaintCreate, *, now: dt.datetime,
    comment: str | None = None,
) -> ComplaintSeen:  # fmt: skip
    """Only a company that bid in the tender, within its standstill."""
    user = require_role(actor, *COMPLAINANTS)
    tender = visible_tender(session, user, code)
    bidder_id = company_of(user)
    if not complaints.bid_in(session, tender, bidder_id):
        raise Forbidden(
            "complaint.not_a_bidder", f"your company did not bid in {code}; only its bidders may complain",
            {"tender": code},
        )  # fmt: skip
    complaint = complaints.file_complaint(session, tender, bidder_id, data.grounds, service.server_now(lambda: now))
    complaint.filed_by_id = user.id
    session.flush()
    audit.record_change(session, user, "create", complaint, before=None, comment=comment)
    return complaint_seen(complaint, session.get_one(Bidder, bidder_id), Viewer.of(user))


def decide_complaint(
    session: Session, actor: User | None, code: str, complaint_code: str, decision: ComplaintDecision, *,
    now: dt.datetime, comment: str | None = None,
) -> ComplaintSeen:  # fmt: skip
    """One entry, filed under the complaint; an upheld one holds the tender's change (`tender_change`) in it."""
    user = require_role(actor, *DECIDERS)
    tender = service.get_tender(session, code)
    query = select(TenderComplaint).where(
        TenderComplaint.code == complaint_code, TenderComplaint.tender_id == tender.id
    )
    complaint = session.scalars(query).one_or_none()
    if complaint is None:
        raise NotFound(
            "complaints.not_found", f"tender {code} has no complaint {complaint_code}", {"complaint": complaint_code}
        )
    before, tender_before = audit.snapshot(complaint), audit.snapshot(tender)
    complaints.decide_complaint(
        session, complaint, decision.upheld, decision.remedy, decision.reason, service.server_now(lambda: now)
    )
    after = audit.snapshot(complaint)
    if audit.snapshot(tender) != tender_before:
        after["tender_change"] = audit.linked_change(tender, tender_before)
    audit.record_change(session, user, "update", complaint, before=before, after=after, comment=comment)
    return complaint_seen(complaint, session.get_one(Bidder, complaint.bidder_id), Viewer.of(user))
