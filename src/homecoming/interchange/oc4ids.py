"""Works projects as an OC4IDS 0.9.4 project package, validated against the official schema.

Cost and time overruns (issue 22): each contracting process gives its contract's value and period as signed
(`contractValue`, `contractPeriod`) and each approved amendment as a `modifications` entry (old and new value and
period, linked to its `contractAmendment` release); a completed project's `completion.finalValue` is what its
contracts came to, to compare with its `budget`.

Each project lists the contracting processes (tenders) that serve it by their OCDS `ocid`, with links to the
releases of the OCDS package published at the same moment (`homecoming tender export-ocds`); the OCDS releases
name the project back in `planning.budget.projectID`. Only published tenders appear; bids never do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.interchange import ocds, ocds_changes, standards
from homecoming.interchange.standards import iso
from homecoming.procurement import amendments
from homecoming.procurement.models import Bidder, Contract, ContractAmendment, Tender, TenderStatus
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project, ProjectStatus, Sector

SECTOR = {
    Sector.HOUSING: "socialHousing",
    Sector.ROAD: "transport.road",
    Sector.POWER: "energy",
    Sector.WATER: "waterAndWaste",
    Sector.GAS: "energy",
    Sector.TELECOM: "communications",
    Sector.SCHOOL: "education",
    Sector.HEALTH: "health",
    Sector.HERITAGE: "cultureSportsAndRecreation",
    Sector.AIRPORT: "transport.air",
    Sector.RAIL: "transport.rail",
    Sector.AGRICULTURE: "naturalResources",
    Sector.ADMINISTRATION: "governance",
}
STATUS = {
    ProjectStatus.PLANNED: "preparation",
    ProjectStatus.TENDERING: "preparation",
    ProjectStatus.IN_PROGRESS: "implementation",
    ProjectStatus.SUSPENDED: "implementation",
    ProjectStatus.COMPLETED: "completion",
    ProjectStatus.CANCELLED: "cancelled",
}
PRE_AWARD = {TenderStatus.ENQUIRIES, TenderStatus.TENDERING, TenderStatus.OPENING, TenderStatus.EVALUATION}
CLOSED = {TenderStatus.COMPLETE, TenderStatus.CANCELLED, TenderStatus.UNSUCCESSFUL}


def project_package(
    session: Session, published: dt.datetime, publisher: ocds.Publisher | None = None, *,
    include_illustrative: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Every project; the contracting processes of the demo's illustrative tenders only when asked for, marked."""
    publisher = publisher or ocds.Publisher()
    projects = session.scalars(select(Project).order_by(Project.code)).all()
    if not projects:
        raise RuleViolation("oc4ids.nothing_to_publish", "no project: an OC4IDS package needs one")
    package = {
        "uri": f"{publisher.uri}/project-package-{published:%Y%m%dT%H%M%S}.json",
        "publishedDate": iso(published),
        "version": "0.9",
        "publisher": {"name": publisher.name},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "projects": [_project(session, p, published, publisher, include_illustrative) for p in projects],
    }
    standards.validate("oc4ids", package)
    return package


def _project(
    session: Session, project: Project, published: dt.datetime, publisher: ocds.Publisher, include_illustrative: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": project.code,
        "updated": iso(published),
        "title": project.name,
        "status": STATUS[project.status],
        "sector": [SECTOR[project.sector]],
        "publicAuthority": {"id": publisher.buyer_id, "name": publisher.buyer_name},
        "parties": [{"id": publisher.buyer_id, "name": publisher.buyer_name, "roles": ["publicAuthority"]}],
    }
    if project.description:
        out["description"] = project.description
    if project.budget_amount is not None and project.budget_currency:
        out["budget"] = {"amount": {"amount": project.budget_amount, "currency": project.budget_currency}}
    period = {k: f"{v.isoformat()}T00:00:00Z" for k, v in (("startDate", project.planned_start),
                                                            ("endDate", project.planned_end)) if v}  # fmt: skip
    if period:
        out["period"] = period
    location = _location(session, project)
    if location:
        out["locations"] = [location]
    completion = _completion(session, project)
    if completion:
        out["completion"] = completion
    processes = [_process(session, t, published, publisher) for t in _tenders(session, project, include_illustrative)]
    if processes:
        out["contractingProcesses"] = processes
        suppliers = {s["id"]: s for p in processes for s in p["summary"].get("suppliers", [])}
        out["parties"] += [{**s, "roles": ["supplier"]} for _, s in sorted(suppliers.items())]
    return out


def _location(session: Session, project: Project) -> dict[str, Any] | None:
    place = []
    if project.settlement_id is not None:
        place.append(session.get_one(Settlement, project.settlement_id).name)
    if project.district_id is not None:
        place.append(session.get_one(District, project.district_id).name + " district")
    location: dict[str, Any] = {"id": "1"}
    if project.location_text or place:
        location["description"] = project.location_text or ", ".join(place)
    if project.lat is not None and project.lon is not None:
        location["geometry"] = {"type": "Point", "coordinates": [project.lon, project.lat]}
    return location if len(location) > 1 else None


def _tenders(session: Session, project: Project, include_illustrative: bool) -> list[Tender]:
    query = select(Tender).where(Tender.project_id == project.id, Tender.published_at.is_not(None))
    if not include_illustrative:
        query = query.where(Tender.illustrative.is_(False))
    return list(session.scalars(query.order_by(Tender.code)))


def _process(session: Session, tender: Tender, published: dt.datetime, publisher: ocds.Publisher) -> dict[str, Any]:
    ocid = ocds.ocid_of(publisher, tender.code)
    status = "pre-award" if tender.status in PRE_AWARD else "closed" if tender.status in CLOSED else "active"
    summary: dict[str, Any] = {"ocid": ocid, "externalReference": tender.code, "title": tender.title, "status": status}
    if tender.illustrative:  # as in the OCDS release it links to
        summary |= {"description": standards.ILLUSTRATIVE_NOTE, "illustrative": True}
    winner = session.get(Bidder, tender.winning_bidder_id) if tender.winning_bidder_id else None
    if winner is not None and tender.status is not TenderStatus.CANCELLED:
        summary["suppliers"] = [{"id": winner.code, "name": winner.name}]
        contract = session.scalars(select(Contract).where(Contract.tender_id == tender.id)).one_or_none()
        if contract is not None:
            summary |= _contract_summary(session, tender, contract)
    url = ocds.package_uri(publisher, published)
    linked = [
        {"id": r["id"], "tag": r["tag"], "date": r["date"], "url": url}
        for r in ocds.history(session, tender, publisher)
    ]
    return {"id": ocid, "summary": summary, "releases": linked}


def _contract_summary(session: Session, tender: Tender, contract: Contract) -> dict[str, Any]:
    """The contract's value as signed and its period, and each approved amendment as a modification: the cost and
    time overruns, each linked to its OCDS `contractAmendment` release."""
    out: dict[str, Any] = {"contractValue": {"amount": amendments.original_value(session, contract),
                                             "currency": contract.currency}}  # fmt: skip
    end = amendments.original_end_date(session, contract)
    out["contractPeriod"] = _period(contract, end)
    modifications = []
    for a in amendments.approved_amendments(session, contract):
        entry = ocds_changes.amendment_entry(tender, contract, a)
        modification: dict[str, Any] = {
            "id": entry["id"],
            "date": entry["date"],
            "description": entry["description"],
            "rationale": a.reason,
            "type": _change_type(a),
            "releaseID": entry["releaseID"],
        }
        if a.new_value != a.old_value:
            modification["oldContractValue"] = {"amount": a.old_value, "currency": contract.currency}
            modification["newContractValue"] = {"amount": a.new_value, "currency": contract.currency}
        if a.new_end_date is not None:
            modification["oldContractPeriod"] = _period(contract, a.old_end_date)
            modification["newContractPeriod"] = _period(contract, a.new_end_date)
        modifications.append(modification)
    if modifications:
        out["modifications"] = modifications
    return out


def _change_type(amendment: ContractAmendment) -> str:
    """OC4IDS modificationType: the amendment's main change (value first, then duration, then scope)."""
    if amendment.new_value != amendment.old_value:
        return "value"
    return "duration" if amendment.new_end_date is not None else "scope"


def _period(contract: Contract, end: dt.date | None) -> dict[str, Any]:
    period: dict[str, Any] = {"startDate": iso(contract.signed_at)}
    if end is not None:
        period["endDate"] = f"{end.isoformat()}T00:00:00Z"
    return period


def _completion(session: Session, project: Project) -> dict[str, Any] | None:
    """A completed project's final value: what its contracts came to, amendments included (the cost overrun shows
    against `budget`)."""
    if project.status is not ProjectStatus.COMPLETED:
        return None
    query = select(Contract).join(Tender, Contract.tender_id == Tender.id).where(Tender.project_id == project.id)
    signed = list(session.scalars(query))
    currencies = {c.currency for c in signed}
    if len(currencies) != 1:
        return None
    total = round(sum(float(c.value) for c in signed), 2)
    originally = round(sum(amendments.original_value(session, c) for c in signed), 2)
    details = f"the contracts as signed came to {originally:.2f}; amendments changed them by {total - originally:+.2f}"
    return {"finalValue": {"amount": total, "currency": currencies.pop()}, "finalValueDetails": details}
