"""Tenders, awards and contracts as an OCDS 1.1.5 release package, validated against the official schema.

The schema files ship in `schemas/ocds-1.1.5/` (copied unchanged, with their licence); the package schema's
reference to the release schema's web address is served from that copy, so validation never touches the
network. What stays out: tenders never published, anything about a bid before the opening, every losing bid's price,
committee members and shares, inspectors' names and photos (personal data) — a payment shows only as a
transaction on the contract and a milestone as met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.finance.models import BudgetAllocation
from homecoming.interchange import ocds_changes, standards
from homecoming.interchange.standards import iso
from homecoming.procurement.models import (
    Bid,
    Bidder,
    Contract,
    ContractStatus,
    Milestone,
    Payment,
    Tender,
    TenderStatus,
)
from homecoming.works.models import Project

S = TenderStatus
TENDER_STATUS = {
    S.ENQUIRIES: "active",
    S.TENDERING: "active",
    S.OPENING: "active",
    S.EVALUATION: "active",
    S.AWARDED: "complete",
    S.CONTRACT_SIGNED: "complete",
    S.COMPLETE: "complete",
    S.CANCELLED: "cancelled",
    S.UNSUCCESSFUL: "unsuccessful",
}


@dataclass(frozen=True)
class Publisher:
    """Who publishes; the OCID prefix is the one the Open Contracting Partnership registers for the publisher."""

    name: str = "Homecoming programme"
    ocid_prefix: str = "ocds-homecm"
    buyer_id: str = "buyer"
    buyer_name: str = "Procuring entity"
    uri: str = "https://example.org/ocds"


def release_package(
    session: Session, published: dt.datetime, publisher: Publisher | None = None, *, include_illustrative: bool = False
) -> dict[str, Any]:
    """Every published tender's release; the demo's illustrative tenders only when asked for, marked as such."""
    publisher = publisher or Publisher()
    tenders = _published_tenders(session, include_illustrative)
    package = {
        "uri": package_uri(publisher, published),
        "version": "1.1",
        "publisher": {"name": publisher.name},
        "publishedDate": iso(published),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "releases": [r for t in tenders for r in history(session, t, publisher)],
    }
    validate(package)
    return package


def history(session: Session, tender: Tender, publisher: Publisher) -> list[dict[str, Any]]:
    """A contracting process's releases, oldest first: one per approved contract amendment (the contract as it then
    stood), and last the full current release (whose date is the latest event, amendments included)."""
    ocid = ocid_of(publisher, tender.code)
    contract = session.scalars(select(Contract).where(Contract.tender_id == tender.id)).one_or_none()
    amended = [] if contract is None else ocds_changes.amendment_releases(session, tender, contract, ocid)
    return [*amended, release(session, tender, publisher)]


def record_package(
    session: Session, published: dt.datetime, publisher: Publisher | None = None, *, include_illustrative: bool = False
) -> dict[str, Any]:
    """Each contracting process as an OCDS record: every release of its history, and the compiled release (its
    current state: the latest release is the full one, so compiling is taking it, tagged `compiled`). The demo's
    illustrative tenders only when asked for, marked as such."""
    publisher = publisher or Publisher()
    tenders = _published_tenders(session, include_illustrative)
    records = []
    for tender in tenders:
        releases = history(session, tender, publisher)
        compiled = {**releases[-1], "id": f"{releases[-1]['id']}-compiled", "tag": ["compiled"]}
        records.append({"ocid": releases[-1]["ocid"], "releases": releases, "compiledRelease": compiled})
    package = {
        "uri": f"{publisher.uri}/record-package-{published:%Y%m%dT%H%M%S}.json",
        "version": "1.1",
        "publisher": {"name": publisher.name},
        "publishedDate": iso(published),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "packages": [package_uri(publisher, published)],
        "records": records,
    }
    standards.validate("ocds-record", package)
    return package


def _published_tenders(session: Session, include_illustrative: bool) -> list[Tender]:
    query = select(Tender).where(Tender.published_at.is_not(None))
    if not include_illustrative:
        query = query.where(Tender.illustrative.is_(False))
    tenders = list(session.scalars(query.order_by(Tender.code)))
    if not tenders:
        raise RuleViolation("ocds.nothing_to_publish", "no published tender: an OCDS package needs one release")
    return tenders


def package_uri(publisher: Publisher, published: dt.datetime) -> str:
    return f"{publisher.uri}/release-package-{published:%Y%m%dT%H%M%S}.json"


def ocid_of(publisher: Publisher, tender_code: str) -> str:
    return f"{publisher.ocid_prefix}-{tender_code}"


def release(session: Session, tender: Tender, publisher: Publisher) -> dict[str, Any]:
    ocid = ocid_of(publisher, tender.code)
    buyer = {"id": publisher.buyer_id, "name": publisher.buyer_name}
    parties: list[dict[str, Any]] = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    section, tenderers = _tender(session, tender, buyer)
    section |= ocds_changes.complaints_section(session, tender)
    tags, events = ["tender"], [tender.published_at, *_complaint_dates(section)]
    release: dict[str, Any] = {"ocid": ocid, "initiationType": "tender", "buyer": buyer, "tender": section}
    if tender.illustrative:  # an additional field (OCDS allows them) beside the standard's own description
        release["illustrative"] = True
        section["description"] = standards.ILLUSTRATIVE_NOTE
    planning = _planning(session, tender)
    if planning:
        release["planning"] = planning
    winner = session.get(Bidder, tender.winning_bidder_id) if tender.winning_bidder_id else None
    for bidder in tenderers:
        roles = ["tenderer", "supplier"] if winner is not None and bidder.id == winner.id else ["tenderer"]
        parties.append({"id": bidder.code, "name": bidder.name, "roles": roles})
    if tender.status is S.CANCELLED:
        tags, events = ["tenderCancellation"], [*events, tender.closed_at]
    if winner is not None and tender.awarded_at is not None and tender.status is not S.CANCELLED:
        tags.append("award")
        events.append(tender.awarded_at)
        release["awards"] = [
            {
                "id": f"{tender.code}-award",
                "status": "active",
                "date": iso(tender.awarded_at),
                "value": {"amount": tender.award_amount, "currency": tender.currency},
                "suppliers": [{"id": winner.code, "name": winner.name}],
            }
        ]
        contract = session.scalars(select(Contract).where(Contract.tender_id == tender.id)).one_or_none()
        if contract is not None:
            tags.append("contract")
            release["contracts"] = [_contract(session, contract, tender, buyer, winner)]
            events.append(contract.signed_at)
            changed = release["contracts"][0].get("amendments", [])
            if changed:
                tags.append("contractAmendment")
                events.append(max(dt.datetime.fromisoformat(a["date"].rstrip("Z")) for a in changed))
            if release["contracts"][0].get("implementation"):
                tags.append("implementation")
                events.append(max(t_date for t_date in _payment_dates(session, contract)))
    release["parties"] = parties
    release["tag"] = tags
    moment = max(e for e in events if e is not None)
    release["id"] = f"{tender.code}-{tender.status}-{moment:%Y%m%dT%H%M%S}"
    release["date"] = iso(moment)
    return release


def _complaint_dates(section: dict[str, Any]) -> list[dt.datetime]:
    dates = [c["dateSubmitted"] for c in section.get("complaints", [])]
    dates += [c["resolution"]["date"] for c in section.get("complaints", []) if "resolution" in c]
    return [dt.datetime.fromisoformat(d.rstrip("Z")) for d in dates]


def _tender(session: Session, tender: Tender, buyer: dict[str, str]) -> tuple[dict[str, Any], list[Bidder]]:
    section: dict[str, Any] = {
        "id": tender.code,
        "title": tender.title,
        "status": TENDER_STATUS[tender.status],
        "procuringEntity": buyer,
        "value": {"amount": tender.estimate_amount, "currency": tender.currency},
        "procurementMethod": "open",
        "mainProcurementCategory": str(tender.category),
        "awardCriteria": "priceOnly",
        "awardCriteriaDetails": _award_criteria(tender),
        "submissionMethod": ["electronicSubmission"],
        "eligibilityCriteria": tender.qualification_criteria,
        "tenderPeriod": {"startDate": iso(tender.published_at), "endDate": iso(tender.tender_end)},
        "enquiryPeriod": {"startDate": iso(tender.published_at), "endDate": iso(tender.enquiry_end)},
    }
    if tender.opened_at is None:  # before the opening even the number of bids stays sealed
        return section, []
    query = select(Bidder).join(Bid, Bid.bidder_id == Bidder.id).where(Bid.tender_id == tender.id)
    tenderers = list(session.scalars(query.order_by(Bidder.code)))
    section["numberOfTenderers"] = len(tenderers)
    section["tenderers"] = [{"id": b.code, "name": b.name} for b in tenderers]
    return section, tenderers


def _award_criteria(tender: Tender) -> str:
    text = "lowest evaluated price among qualified bids"
    if tender.preference_category and tender.preference_margin_pct:
        text += (
            f"; bids from bidders outside the category '{tender.preference_category}' are evaluated at their "
            f"price plus {tender.preference_margin_pct:g}%"
        )
    return text


def _planning(session: Session, tender: Tender) -> dict[str, Any] | None:
    budget: dict[str, Any] = {}
    if tender.budget_allocation_id is not None:
        allocation = session.get_one(BudgetAllocation, tender.budget_allocation_id)
        budget |= {
            "id": allocation.code,
            "description": f"{allocation.year} {allocation.source_kind} budget, {allocation.figure_kind}",
            "amount": {"amount": allocation.amount, "currency": allocation.currency},
        }
        if allocation.source_url:
            budget["uri"] = allocation.source_url
    if tender.project_id is not None:
        project = session.get_one(Project, tender.project_id)
        budget |= {"project": project.name, "projectID": project.code}  # the OC4IDS project this process serves
    return {"budget": budget} if budget else None


def _contract(
    session: Session, contract: Contract, tender: Tender, buyer: dict[str, str], winner: Bidder
) -> dict[str, Any]:
    milestones = session.scalars(
        select(Milestone).where(Milestone.contract_id == contract.id).order_by(Milestone.number)
    )
    section: dict[str, Any] = {
        "id": contract.code,
        "awardID": f"{tender.code}-award",
        "title": tender.title,
        "status": "terminated" if contract.status is ContractStatus.COMPLETE else "active",
        "value": {"amount": contract.value, "currency": contract.currency},
        "dateSigned": iso(contract.signed_at),
        "milestones": [_milestone(session, m, contract) for m in milestones],
        **ocds_changes.contract_changes(session, tender, contract),
    }
    payments = session.execute(
        select(Payment, Milestone.number)
        .join(Milestone, Payment.milestone_id == Milestone.id)
        .where(Milestone.contract_id == contract.id)
        .order_by(Payment.paid_at, Payment.id)
    ).all()
    if payments:
        section["implementation"] = {
            "transactions": [
                {
                    "id": f"{contract.code}-payment-{payment.id}",
                    "source": f"milestone {number}",
                    "date": iso(payment.paid_at),
                    "value": {"amount": payment.amount, "currency": contract.currency},
                    "payer": buyer,
                    "payee": {"id": winner.code, "name": winner.name},
                }
                for payment, number in payments
            ]
        }
    return section


def _milestone(session: Session, milestone: Milestone, contract: Contract) -> dict[str, Any]:
    paid = session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.milestone_id == milestone.id)
    )
    met = float(paid or 0) >= milestone.amount - 0.005
    out: dict[str, Any] = {
        "id": f"{contract.code}-m{milestone.number}",
        "title": milestone.title,
        "type": "delivery",
        "status": "met" if met else "scheduled",
    }
    if milestone.due_date is not None:
        out["dueDate"] = f"{milestone.due_date.isoformat()}T00:00:00Z"
    return out


def _payment_dates(session: Session, contract: Contract) -> list[dt.datetime]:
    ids = select(Milestone.id).where(Milestone.contract_id == contract.id)
    return list(session.scalars(select(Payment.paid_at).where(Payment.milestone_id.in_(ids))))


def schema_errors(package: dict[str, Any]) -> list[str]:
    return standards.schema_errors("ocds", package)


def validate(package: dict[str, Any]) -> None:
    standards.validate("ocds", package)
