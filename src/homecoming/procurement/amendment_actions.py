"""Contract amendments' use-cases: the procurement office requests a variation order, a planner (who keeps the
budget lines) approves or declines it, never the account that requested it; everyone reads them. While it waits for
its decision the office attaches its supporting documents (PDFs, images: the files domain's checks and store).

Amendments are public like their contract (value before and after, dates, scope, reason); who requested and who
decided (accounts of people) are for staff, as inspectors' names are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.permissions import allowed_roles, require_role
from homecoming.accounts.roles import STAFF, Role
from homecoming.audit import service as audit
from homecoming.errors import Conflict, NotFound
from homecoming.files import service as files
from homecoming.files.models import Attachment
from homecoming.files.store import FileStore
from homecoming.procurement import amendments, contracts, service
from homecoming.procurement.actions import OFFICERS, Viewer
from homecoming.procurement.models import AmendmentStatus, Contract, ContractAmendment
from homecoming.procurement.schemas import AmendmentCreate

REQUESTERS = OFFICERS  # the office that manages the contract
APPROVERS = (Role.PLANNER,)  # keeps the budget lines the increase is paid from
UNPUBLISHED_READERS = STAFF  # a document of an amendment not (or not yet) approved; approved: everyone (OCDS)


@dataclass(frozen=True)
class DocumentSeen:
    """A supporting document as everyone may list it; its content: `visible_document`."""

    name: str
    media_type: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class AmendmentSeen:
    """An amendment as one viewer may see it, and as the API answers it: `requested_by` and `decided_by` (accounts
    of people) are None for outsiders."""

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
    requested_by: str | None
    decided_by: str | None
    documents: tuple[DocumentSeen, ...]


def amendment_code(contract: Contract, amendment: ContractAmendment) -> str:
    """What the audit trail files an amendment under: `<contract>/A<number>`."""
    return f"{contract.code}/A{amendment.number}"


def amendment_seen(
    session: Session, amendment: ContractAmendment, viewer: Viewer, documents: list[Attachment] | None = None
) -> AmendmentSeen:
    if documents is None:
        documents = files.attachments_of_amendments(session, [amendment.id])[amendment.id]
    listed = tuple(DocumentSeen(d.original_name, d.media_type, d.sha256, d.size_bytes) for d in documents)
    names = {"requested": None, "decided": None} if viewer.is_outsider else {
        key: session.get_one(User, user_id).username if user_id is not None else None
        for key, user_id in (("requested", amendment.requested_by_id), ("decided", amendment.decided_by_id))
    }  # fmt: skip
    a = amendment
    return AmendmentSeen(
        a.number, a.status, a.reason, a.scope, float(a.old_value), float(a.new_value), a.old_end_date,
        a.new_end_date, a.requested_at, a.decided_at, names["requested"], names["decided"], listed,
    )  # fmt: skip


def visible_amendments(session: Session, actor: User | None, code: str) -> list[AmendmentSeen]:
    contract = contracts.get_contract(session, code)
    viewer = Viewer.of(actor)
    listed = amendments.amendments_of(session, contract)
    documents = files.attachments_of_amendments(session, [a.id for a in listed])
    return [amendment_seen(session, a, viewer, documents[a.id]) for a in listed]


def document_path(code: str, number: int, document: int) -> str:
    """Where a document is downloaded (the API route; OCDS publishes it as the document's `url`)."""
    return f"/api/contracts/{code}/amendments/{number}/documents/{document}"


def may_read_documents(actor: User | None, status: AmendmentStatus) -> bool:
    """Whether the reader may download the documents of an amendment in this status (the pages link them only
    then)."""
    staff = actor is not None and actor.role in allowed_roles(*UNPUBLISHED_READERS)
    return status is AmendmentStatus.APPROVED or staff


def visible_document(session: Session, actor: User | None, code: str, number: int, document: int) -> Attachment:
    """The n-th document (from 1) of an amendment, to download: everyone's once the amendment is approved (OCDS
    publishes it); while it waits for its decision, or once declined, the programme's staff alone."""
    contract = contracts.get_contract(session, code)
    amendment = amendments.get_amendment(session, contract, number)
    if not may_read_documents(actor, amendment.status):
        require_role(actor, *UNPUBLISHED_READERS)  # the refusal: 401 for nobody logged in, else 403
    kept = files.attachments_of_amendments(session, [amendment.id])[amendment.id]
    if not 1 <= document <= len(kept):
        raise NotFound(
            "amendment.document_not_found",
            f"amendment {number} of {code} has {len(kept)} documents; there is no document {document}",
            {"number": number, "documents": len(kept)},
        )
    return kept[document - 1]


def request_amendment(
    session: Session, actor: User | None, code: str, data: AmendmentCreate, *, now: dt.datetime,
    comment: str | None = None,
) -> AmendmentSeen:  # fmt: skip
    """Refused (nothing written) when an increase would not fit the budget allocation."""
    user = require_role(actor, *REQUESTERS)
    contract = contracts.get_contract(session, code)
    amendment = amendments.request_amendment(session, contract, data, user.id, service.server_now(lambda: now))
    filed = amendment_code(contract, amendment)
    audit.record_change(session, user, "create", amendment, before=None, comment=comment, code=filed)
    return amendment_seen(session, amendment, Viewer.of(user))


def decide_amendment(
    session: Session, actor: User | None, code: str, number: int, approve: bool, *, now: dt.datetime,
    comment: str | None = None,
) -> AmendmentSeen:  # fmt: skip
    """One entry, filed under the amendment; an approval holds the contract's change (`contract_change`) in it."""
    user = require_role(actor, *APPROVERS)
    contract = contracts.get_contract(session, code)
    amendment = amendments.get_amendment(session, contract, number)
    before, contract_before = audit.snapshot(amendment), audit.snapshot(contract)
    amendments.decide_amendment(session, contract, amendment, approve, user.id, service.server_now(lambda: now))
    after = audit.snapshot(amendment)
    if audit.snapshot(contract) != contract_before:
        after["contract_change"] = audit.linked_change(contract, contract_before)
    filed = amendment_code(contract, amendment)
    audit.record_change(session, user, "update", amendment, before=before, after=after, comment=comment, code=filed)
    return amendment_seen(session, amendment, Viewer.of(user))


def attach_document(
    session: Session, actor: User | None, code: str, number: int, name: str, content: bytes, *,
    store: FileStore | None = None, max_bytes: int | None = None, comment: str | None = None,
) -> AmendmentSeen:  # fmt: skip
    """A supporting document of a requested amendment; refused (nothing stored) once it is decided, or when the
    file is too large, empty, of a type not accepted or not what its name claims. One entry, filed under the
    amendment."""
    user = require_role(actor, *REQUESTERS)
    contract = contracts.get_contract(session, code)
    amendment = amendments.get_amendment(session, contract, number)
    if amendment.status is not AmendmentStatus.REQUESTED:
        raise Conflict(
            "amendment.already_decided",
            f"amendment {amendment.number} of {contract.code} is {amendment.status}; its documents are closed",
            {"number": amendment.number, "status": str(amendment.status)},
        )
    document = files.attach_to_amendment(session, amendment.id, name, content, store=store, max_bytes=max_bytes)
    filed = amendment_code(contract, amendment)
    audit.record_change(session, user, "create", document, before=None, comment=comment, code=filed)
    return amendment_seen(session, amendment, Viewer.of(user))
