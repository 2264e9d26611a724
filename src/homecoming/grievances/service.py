"""The data functions the grievance use-cases call: where a subject is, adding, answering and escalating records.

They flush, never commit, and check nobody's role: that is the use-cases' (`actions.py`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from homecoming.errors import NotFound, RuleViolation
from homecoming.grievances import rules
from homecoming.grievances.models import Grievance, GrievanceStatus, SubjectKind
from homecoming.households.models import Household
from homecoming.phrases import Phrase
from homecoming.procurement.models import Tender
from homecoming.returns.models import Convoy
from homecoming.territory.models import Settlement
from homecoming.works.models import Project

ABOUT_FORMAT = "settlement:<code>, project:<code>, tender:<code>, allocation:<household code> or convoy:<code>"


def subject_place(session: Session, about: str) -> tuple[SubjectKind, str, int | None, int | None]:
    """The subject named by `about`, and its district and settlement (for routing and statistics); a malformed
    or unknown subject is refused (422) naming the field `about`."""
    parsed = rules.parse_about(about)
    if parsed is None:
        raise RuleViolation(
            "grievances.bad_subject",
            Phrase("say what the grievance is about as one of: {choices}", choices=ABOUT_FORMAT),
            {"field": "about", "about": about},
        )
    kind, code = parsed
    place = _place(session, kind, code)
    if place is None:
        raise RuleViolation(
            "grievances.unknown_subject",
            Phrase("there is no {kind} with the code {code}: check the code on its page", kind=kind.value, code=code),
            {"field": "about", "about": about, "kind": kind.value, "code": code},
        )
    return kind, code, place[0], place[1]


def _place(session: Session, kind: SubjectKind, code: str) -> tuple[int | None, int | None] | None:
    """(district id, settlement id) of the subject, None when there is no such subject."""
    if kind == SubjectKind.SETTLEMENT:
        settlement = session.execute(select(Settlement.district_id, Settlement.id).where(Settlement.code == code))
        return _first(settlement.first())
    if kind == SubjectKind.PROJECT:
        project = session.execute(select(Project.district_id, Project.settlement_id).where(Project.code == code))
        return _with_district(session, _first(project.first()))
    if kind == SubjectKind.TENDER:
        tender = session.execute(select(Tender.district_id, Tender.id).where(Tender.code == code)).first()
        return None if tender is None else (tender[0], None)
    if kind == SubjectKind.ALLOCATION:
        household = select(Settlement.district_id, Settlement.id).join(
            Household, Household.origin_settlement_id == Settlement.id
        )
        return _first(session.execute(household.where(Household.code == code)).first())
    convoy = select(Settlement.district_id, Settlement.id).join(Convoy, Convoy.settlement_id == Settlement.id)
    return _first(session.execute(convoy.where(Convoy.code == code)).first())


def _first(row: object) -> tuple[int | None, int | None] | None:
    return None if row is None else (row[0], row[1])  # type: ignore[index]


def _with_district(
    session: Session, place: tuple[int | None, int | None] | None
) -> tuple[int | None, int | None] | None:
    """A project placed by its settlement only takes the settlement's district."""
    if place is None or place[0] is not None or place[1] is None:
        return place
    return session.scalar(select(Settlement.district_id).where(Settlement.id == place[1])), place[1]


def add(session: Session, grievance: Grievance) -> Grievance:
    session.add(grievance)
    session.flush()
    return grievance


def get(session: Session, tracking_code: str) -> Grievance:
    code = rules.normal_tracking_code(tracking_code)[:64]
    found = None
    if code.isprintable():  # a control character (NUL) is no code, and PostgreSQL refuses it in a query
        found = session.scalars(select(Grievance).where(Grievance.tracking_code == code)).one_or_none()
    if found is None:
        raise NotFound(
            "grievances.not_found",
            Phrase("no grievance has the tracking code {code}: check it against the one you were given", code=code),
            {"tracking_code": code},
        )
    return found


def answer(session: Session, grievance: Grievance, response: str, user_id: int, now: dt.datetime) -> None:
    grievance.response = response
    grievance.answered_at = grievance.answered_at or now  # a corrected answer keeps the time of the first
    grievance.answered_by_id = user_id
    grievance.status = GrievanceStatus.ANSWERED
    session.flush()


def escalate_overdue(session: Session, now: dt.datetime) -> int:
    """Every open grievance past its due time escalated, in one statement; an escalated one is not open any more,
    so a second run the same moment changes nothing."""
    result = session.execute(
        update(Grievance)
        .where(Grievance.status == GrievanceStatus.OPEN, Grievance.due_at <= now)
        .values(status=GrievanceStatus.ESCALATED, escalated_at=now, version=Grievance.version + 1)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
