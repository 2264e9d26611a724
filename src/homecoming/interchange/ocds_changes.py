"""What issue 22 adds to the OCDS releases: complaints against an award, the standstill, contract amendments.

Complaints use an extension of the `tender` object (OCDS 1.1.5 has no complaints field; the core schema allows
extra fields, and the package still validates against the official schema). Its shape, documented in
docs/formats.md ("OCDS complaints extension"), follows OCDS naming:

    tender.standstillPeriod: Period            from the award to the end of the standstill
    tender.complaints[]: {
        id, status: pending | upheld | rejected, dateSubmitted,
        resolution: {date, decision: upheld | rejected, remedy: reEvaluate | cancel, rationale}
    }

Exactly the public view of `complaint_actions` is published: never the complainant nor its grounds.
Amendments are core OCDS: `contracts[].amendments` (id, date, rationale, description, releaseID) on the compiled
state, and one release per approved amendment, tagged `contractAmendment`, carrying the contract as amended then.
An approved amendment's supporting documents are `contracts[].documents` of type `contractSchedule` (the codelist's
"schedule, appendix, annex, attachment or addendum"; it has no amendment type), each naming its amendment's id,
its `url` the API's download route as an absolute path (`/api/contracts/{code}/amendments/{n}/documents/{d}`: the
same on every host the site is served from; prefix the site's address to fetch it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from homecoming.files import service as files
from homecoming.interchange.standards import iso
from homecoming.procurement import amendment_actions, amendments, complaint_actions
from homecoming.procurement.actions import Viewer
from homecoming.procurement.models import ComplaintStatus, Contract, ContractAmendment, Tender

STATUS = {ComplaintStatus.OPEN: "pending", ComplaintStatus.UPHELD: "upheld", ComplaintStatus.REJECTED: "rejected"}
REMEDY = {"re_evaluate": "reEvaluate", "cancel": "cancel"}


def complaints_section(session: Session, tender: Tender) -> dict[str, Any]:
    """The extension fields of `tender`, the public's view (nothing when there is nothing to say)."""
    section: dict[str, Any] = {}
    if tender.standstill_ends_at is not None and tender.awarded_at is not None:
        section["standstillPeriod"] = {"startDate": iso(tender.awarded_at), "endDate": iso(tender.standstill_ends_at)}
    seen = complaint_actions.complaints_seen(session, tender, Viewer.of(None))
    if seen:
        section["complaints"] = [_complaint(c) for c in seen]
    return section


def _complaint(seen: complaint_actions.ComplaintSeen) -> dict[str, Any]:
    out: dict[str, Any] = {"id": seen.code, "status": STATUS[seen.status], "dateSubmitted": iso(seen.filed_at)}
    if seen.decided_at is not None:
        resolution = {"date": iso(seen.decided_at), "decision": STATUS[seen.status], "rationale": seen.decision_reason}
        if seen.remedy is not None:
            resolution["remedy"] = REMEDY[str(seen.remedy)]
        out["resolution"] = resolution
    return out


def release_id(tender: Tender, amendment: ContractAmendment) -> str:
    return f"{tender.code}-amendment-{amendment.number}-{amendment.decided_at:%Y%m%dT%H%M%S}"


def amendment_entry(tender: Tender, contract: Contract, amendment: ContractAmendment) -> dict[str, Any]:
    changes = []
    if amendment.new_value != amendment.old_value:
        changes.append(f"value {amendment.old_value:.2f} -> {amendment.new_value:.2f} {contract.currency}")
    if amendment.new_end_date is not None and amendment.new_end_date != amendment.old_end_date:
        was = amendment.old_end_date.isoformat() if amendment.old_end_date else "none"
        changes.append(f"completion date {was} -> {amendment.new_end_date.isoformat()}")
    if amendment.scope:
        changes.append(f"scope: {amendment.scope}")
    return {
        "id": f"{contract.code}-A{amendment.number}",
        "date": iso(amendment.decided_at),
        "rationale": amendment.reason,
        "description": "; ".join(changes) or amendment.reason,
        "releaseID": release_id(tender, amendment),
    }


def amendment_documents(
    session: Session, contract: Contract, approved: list[ContractAmendment]
) -> list[dict[str, Any]]:
    """The supporting documents of the approved amendments, oldest amendment first."""
    kept = files.attachments_of_amendments(session, [a.id for a in approved])
    return [
        {
            "id": f"{contract.code}-A{amendment.number}-D{n}",
            "documentType": "contractSchedule",
            "title": document.original_name,
            "description": f"supporting document of amendment {contract.code}-A{amendment.number}; "
            f"SHA-256 {document.sha256}, {document.size_bytes} bytes",
            "format": document.media_type,
            "url": amendment_actions.document_path(contract.code, amendment.number, n),
            "datePublished": iso(document.uploaded_at),
        }
        for amendment in approved
        for n, document in enumerate(kept[amendment.id], start=1)
    ]


def contract_changes(session: Session, tender: Tender, contract: Contract) -> dict[str, Any]:
    """The contract's period and its amendments, as the compiled (current) state shows them."""
    out: dict[str, Any] = {}
    end = amendments.end_date(session, contract)
    if end is not None:
        out["period"] = {"startDate": iso(contract.signed_at), "endDate": f"{end.isoformat()}T00:00:00Z"}
    approved = amendments.approved_amendments(session, contract)
    if approved:
        out["amendments"] = [amendment_entry(tender, contract, a) for a in approved]
    documents = amendment_documents(session, contract, approved)
    if documents:
        out["documents"] = documents
    return out


def amendment_releases(session: Session, tender: Tender, contract: Contract, ocid: str) -> list[dict[str, Any]]:
    """One release per approved amendment, oldest first: the contract as that amendment left it."""
    releases = []
    approved = amendments.approved_amendments(session, contract)
    for n, amendment in enumerate(approved):
        section: dict[str, Any] = {
            "id": contract.code,
            "awardID": f"{tender.code}-award",
            "value": {"amount": amendment.new_value, "currency": contract.currency},
            "amendments": [amendment_entry(tender, contract, a) for a in approved[: n + 1]],
        }
        documents = amendment_documents(session, contract, approved[: n + 1])
        if documents:
            section["documents"] = documents
        end = next((a.new_end_date for a in reversed(approved[: n + 1]) if a.new_end_date), None)
        end = end or amendments.original_end_date(session, contract)
        if end is not None:
            section["period"] = {"startDate": iso(contract.signed_at), "endDate": f"{end.isoformat()}T00:00:00Z"}
        release: dict[str, Any] = {
            "ocid": ocid,
            "id": release_id(tender, amendment),
            "date": iso(amendment.decided_at),
            "tag": ["contractAmendment"],
            "initiationType": "tender",
            "contracts": [section],
        }
        if tender.illustrative:  # marked as the process's full release is (ocds.release)
            release["illustrative"] = True
        releases.append(release)
    return releases
