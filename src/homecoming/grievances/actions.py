"""Grievance use-cases, whichever door asks (the API, the public page, the command line): filing one (anyone),
looking one up by its tracking code (anyone holding it), the staff's list, answering in the open, and the
escalation of the overdue.

Who reads what is decided here once: the public lookup never carries the text or the contact; staff read the text,
and the contact only in the role the grievance was routed to (and admin). The audit entry of an answer carries
neither the contact nor the text (`_trail`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.crud import id_of
from homecoming.errors import Conflict, Forbidden, NotFound, RuleViolation
from homecoming.files.checks import CheckedFile, check_image
from homecoming.files.store import FileStore, public_key
from homecoming.grievances import read_models, rules, service
from homecoming.grievances.models import Grievance, GrievanceStatus
from homecoming.grievances.schemas import GrievanceCreate, GrievancePublic, GrievanceStaff
from homecoming.phrases import Phrase
from homecoming.territory import scope
from homecoming.territory.models import District, Settlement
from homecoming.versions import check_version

# The roles a grievance may be routed to (rules.ROLE_BY_SUBJECT; admin always): they list and answer them.
ANSWERERS = (Role.DATA_ENTRY, Role.REGISTRAR, Role.PLANNER, Role.PROCUREMENT_OFFICER)
PHOTO_WINDOW = dt.timedelta(hours=24)  # the filer may add a photograph this long after filing
PUBLIC_FILER = "public"  # the audit trail's actor of every filing
# The columns the audit trail keeps of a grievance: never the filer's text or contact.
TRAIL_FIELDS = ("tracking_code", "subject_kind", "subject_code", "category", "assigned_role", "status", "due_at",
                "escalated_at", "answered_at", "response", "answered_by_id", "photo_key", "version")  # fmt: skip


@dataclass(frozen=True)
class Photo:
    """A photograph sent with or after a grievance, held to the files domain's rules (`files.checks.check_image`:
    a JPEG or PNG told from its content that decodes, at most `max_bytes`)."""

    name: str
    content: bytes
    store: FileStore
    max_bytes: int


def file_grievance(
    session: Session,
    actor: User | None,
    data: GrievanceCreate,
    *,
    now: dt.datetime,
    service_days: Mapping[str, int],
    photo: Photo | None = None,
) -> Grievance:
    """Anyone files (an account is not needed, and is not recorded: a filer stays anonymous to the staff). The
    subject must exist; the grievance is routed by its subject and category, due after the category's service
    time. The audit entry names the stand-in `public` whoever filed, and holds neither the text nor the contact."""
    del actor  # anyone may file; who is logged in (if anyone) is deliberately not kept
    kind, code, district_id, settlement_id = service.subject_place(session, data.about)
    checked = None if photo is None else check_image(photo.name, photo.content, photo.max_bytes)
    grievance = Grievance(
        tracking_code=rules.new_tracking_code(),
        subject_kind=kind,
        subject_code=code,
        district_id=district_id,
        settlement_id=settlement_id,
        category=data.category,
        text=data.text,
        contact=(data.contact or "").strip() or None,
        assigned_role=rules.assigned_role(kind, data.category),
        status=GrievanceStatus.OPEN,
        filed_at=now,
        due_at=rules.due_at(now, data.category, service_days),
    )
    if photo is not None and checked is not None:
        grievance.photo_key = _keep(photo.store, checked)
    service.add(session, grievance)
    audit.record_change(session, _public_filer(), "create", grievance, before=None, after=_trail(grievance))
    return grievance


def attach_photo(
    session: Session, actor: User | None, tracking_code: str, photo: Photo, *, now: dt.datetime
) -> Grievance:
    """The filer (whoever holds the tracking code) adds one photograph within PHOTO_WINDOW of filing. Only its
    metadata-free copy is kept; staff see it, the public never."""
    del actor  # as for filing: whoever holds the code, never recorded
    grievance = service.get(session, tracking_code)
    if grievance.photo_key is not None:
        raise Conflict("grievances.photo_already", Phrase("this grievance already has its photograph"),
                       {"tracking_code": grievance.tracking_code})  # fmt: skip
    if now - grievance.filed_at > PHOTO_WINDOW:
        raise RuleViolation(
            "grievances.photo_too_late",
            Phrase("a photograph is added within {hours} hours of filing; file a new grievance with it",
                   hours=int(PHOTO_WINDOW.total_seconds() // 3600)),
            {"tracking_code": grievance.tracking_code},
        )  # fmt: skip
    checked = check_image(photo.name, photo.content, photo.max_bytes)
    before = _trail(grievance)
    grievance.photo_key = _keep(photo.store, checked)
    session.flush()
    audit.record_change(session, _public_filer(), "update", grievance, before=before, after=_trail(grievance))
    return grievance


def visible_photo(session: Session, actor: User | None, tracking_code: str) -> str:
    """The store key of a grievance's photograph, for the staff who answer grievances (a photo may show people)."""
    permissions.require_role(actor, *ANSWERERS)
    grievance = service.get(session, tracking_code)
    if grievance.photo_key is None:
        raise NotFound("grievances.no_photo", Phrase("this grievance has no photograph"),
                       {"tracking_code": grievance.tracking_code})  # fmt: skip
    return grievance.photo_key


def _keep(store: FileStore, checked: CheckedFile) -> str:
    """Only the copy without metadata is stored: a photo's geotag may be the filer's home."""
    assert checked.public_copy is not None  # every checked image has one
    key = public_key(checked.sha256, checked.suffix)
    store.put(key, checked.public_copy)
    return key


def _public_filer() -> User:
    """The trail's name for whoever filed (never stored as an account)."""
    return User(username=PUBLIC_FILER, role=Role.PUBLIC)


def public_grievance(session: Session, tracking_code: str) -> GrievancePublic:
    """What the tracking code answers, to anyone: status, category, subject, dates and the public response."""
    return public_view(service.get(session, tracking_code))


def public_view(grievance: Grievance) -> GrievancePublic:
    return GrievancePublic.model_validate(grievance, from_attributes=True)


def visible_grievances(
    session: Session, actor: User | None, *, status: GrievanceStatus | None, district_id: int | None
) -> Select[Grievance]:
    """The staff's list (filtered by status and district): the statement the door pages through."""
    permissions.require_role(actor, *ANSWERERS)
    return read_models.grievances_listed(status, district_id)


def assigned_grievances(session: Session, actor: User | None, *, status: GrievanceStatus | None) -> Select[Grievance]:
    """A member of staff's queue: the grievances routed to their role (a district clerk: of their own district);
    admin's holds every one (the escalated are theirs too)."""
    user = permissions.require_role(actor, *ANSWERERS)
    if user.role == Role.ADMIN:
        return read_models.grievances_listed(status, None)
    district_id = user.district_id if user.role == Role.DATA_ENTRY else None
    return read_models.grievances_listed(status, district_id, user.role)


def first_visible(
    session: Session, actor: User | None, *, status: GrievanceStatus | None, district_code: str | None, limit: int
) -> list[GrievanceStaff]:
    """The oldest `limit` grievances of the staff's list, as they read them (the command line's list)."""
    user = permissions.require_role(actor, *ANSWERERS)
    district_id = id_of(session, District, district_code)
    query = visible_grievances(session, user, status=status, district_id=district_id)
    grievances = session.scalars(query.order_by(Grievance.filed_at, Grievance.id).limit(limit))
    districts = {i: c for i, c in session.execute(select(District.id, District.code))}
    settlements = {i: c for i, c in session.execute(select(Settlement.id, Settlement.code))}
    return [
        staff_view(user, g, districts.get(g.district_id or 0), settlements.get(g.settlement_id or 0))
        for g in grievances
    ]


def staff_view(
    actor: User, grievance: Grievance, district_code: str | None, settlement_code: str | None
) -> GrievanceStaff:
    """A grievance as a member of staff reads it: the contact only when it is theirs to answer (or they are admin)."""
    shown = may_see_contact(actor, grievance)
    values: dict[str, Any] = {
        name: getattr(grievance, name) for name in GrievanceStaff.model_fields if hasattr(grievance, name)
    }
    values.update(
        district_code=district_code,
        settlement_code=settlement_code,
        contact=grievance.contact if shown else None,
        contact_withheld=grievance.contact is not None and not shown,
        has_photo=grievance.photo_key is not None,
    )
    return GrievanceStaff(**values)


def may_see_contact(actor: User, grievance: Grievance) -> bool:
    """Admin, or the role it was routed to (a district clerk: of the grievance's district)."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role != grievance.assigned_role:
        return False
    return actor.role != Role.DATA_ENTRY or actor.district_id == grievance.district_id


def answer_grievance(
    session: Session,
    actor: User | None,
    tracking_code: str,
    response: str,
    *,
    now: dt.datetime,
    version: int | None,
    comment: str | None = None,
) -> Grievance:
    """The response is published with the grievance; one audit entry, without the filer's text or contact."""
    user = permissions.require_role(actor, *ANSWERERS)
    grievance = service.get(session, tracking_code)
    _may_answer(session, user, grievance)
    if version is not None:
        check_version(grievance, version)
    before = _trail(grievance)
    service.answer(session, grievance, response, user.id, now)
    audit.record_change(session, user, "answer", grievance, before=before, after=_trail(grievance), comment=comment)
    return grievance


def _may_answer(session: Session, user: User, grievance: Grievance) -> None:
    """The role it was routed to answers (a district clerk in its own district); admin answers any, and every
    escalated one."""
    if user.role == Role.ADMIN:
        return
    if user.role != grievance.assigned_role:
        raise Forbidden(
            "grievances.not_yours",
            Phrase("this grievance is answered by the role {role}", role=Phrase(str(grievance.assigned_role))),
            {"assigned_role": str(grievance.assigned_role)},
        )
    scope.ensure_may_write(session, user, scope.Place(grievance.district_id, grievance.settlement_id))


def escalate_overdue(session: Session, now: dt.datetime) -> int:
    """Every open grievance whose service time has passed is escalated to admin; how many were. Run again, it
    escalates none of them twice (an escalated grievance is no longer open)."""
    return service.escalate_overdue(session, now)


def _trail(grievance: Grievance) -> dict[str, Any]:
    snapshot = audit.snapshot(grievance)
    return {name: snapshot[name] for name in TRAIL_FIELDS}
