"""The duplicate-review list: the search's pairs kept for a registrar, and their decisions (who may: actions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, NotFound
from homecoming.households import members
from homecoming.households.dedupe import Candidate, PersonRecord
from homecoming.households.models import DuplicateCandidate, DuplicateStatus, Household, HouseholdMember
from homecoming.territory.models import District, Settlement


@dataclass(frozen=True)
class StoredPairs:
    found: int  # pairs the search scored at the threshold or above
    added: int  # of them, new on the list
    dropped: int  # open pairs of an earlier run the search no longer finds (a record was corrected)


def people_for_search(session: Session) -> list[PersonRecord]:
    """Every member who counts (not merged into another) as the search compares them, with the district their
    household comes from."""
    rows = session.execute(
        select(HouseholdMember.id, District.code, HouseholdMember.given_name, HouseholdMember.family_name,
               HouseholdMember.birth_date, HouseholdMember.sex, HouseholdMember.document_number)
        .join(Household, Household.id == HouseholdMember.household_id)
        .join(Settlement, Settlement.id == Household.origin_settlement_id)
        .join(District, District.id == Settlement.district_id)
        .where(members.active_members())
        .order_by(HouseholdMember.id)
    )  # fmt: skip
    return [PersonRecord(i, district, given, family, born, str(sex), document)
            for i, district, given, family, born, sex, document in rows]  # fmt: skip


def store_candidates(session: Session, candidates: list[Candidate], now: dt.datetime) -> StoredPairs:
    """The search's pairs onto the list: new ones open, open ones rescored, decided ones left as decided."""
    stored = {(c.member_id, c.other_member_id): c for c in session.scalars(select(DuplicateCandidate))}
    found = {(c.member_id, c.other_member_id): c for c in candidates}
    added = 0
    for pair, candidate in found.items():
        row = stored.get(pair)
        if row is None:
            session.add(DuplicateCandidate(
                member_id=pair[0], other_member_id=pair[1], match_probability=candidate.match_probability,
                agreements=candidate.agreements, found_at=now, status=DuplicateStatus.OPEN,
            ))  # fmt: skip
            added += 1
        elif row.status is DuplicateStatus.OPEN:
            row.match_probability, row.agreements = candidate.match_probability, candidate.agreements
    gone = [row.id for pair, row in stored.items() if pair not in found and row.status is DuplicateStatus.OPEN]
    if gone:
        session.execute(delete(DuplicateCandidate).where(DuplicateCandidate.id.in_(gone)))
    session.flush()
    return StoredPairs(len(found), added, len(gone))


def listed_pairs(session: Session, status: DuplicateStatus | None, limit: int) -> list[DuplicateCandidate]:
    """Pairs on the list (of one status, or all), most likely first; each brings both members and their households."""
    query = select(DuplicateCandidate)
    if status is not None:
        query = query.where(DuplicateCandidate.status == status)
    query = query.order_by(DuplicateCandidate.match_probability.desc(), DuplicateCandidate.id).limit(limit)
    return list(session.scalars(query).unique())


def get_candidate(session: Session, candidate_id: int) -> DuplicateCandidate:
    candidate = session.get(DuplicateCandidate, candidate_id)
    if candidate is None:
        raise NotFound("households.duplicate_not_found", f"no duplicate candidate {candidate_id}",
                       {"candidate": candidate_id})  # fmt: skip
    return candidate


def ensure_open(candidate: DuplicateCandidate) -> None:
    if candidate.status is not DuplicateStatus.OPEN:
        said = f"{candidate.code} was already decided ({candidate.status.value}) by {candidate.decided_by}"
        raise Conflict("households.duplicate_decided", said, {"status": candidate.status.value})


def decide(session: Session, candidate: DuplicateCandidate, status: DuplicateStatus, by: str, now: dt.datetime) -> None:
    ensure_open(candidate)
    candidate.status, candidate.decided_by, candidate.decided_at = status, by, now
    session.flush()
