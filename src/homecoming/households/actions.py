"""The household registry's use-cases: personal data (households, their members, the duplicate-review list), so
every one of them, read or write, is for registrars (and admins) only, whichever door (API, page, form, command
line) asks: may_read_registry is the one rule."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.crud import get_by_code
from homecoming.households import dedupe, duplicates, members, merges, read_models, service
from homecoming.households import jobs as search_jobs
from homecoming.households.models import (
    ConfirmationMethod,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdMember,
    MemberMerge,
    ReturnConfirmation,
)
from homecoming.households.schemas import HouseholdCreate, MemberCreate
from homecoming.jobs.models import Job
from homecoming.territory import scope
from homecoming.territory.models import Settlement
from homecoming.versions import check_version

REGISTRARS = (Role.REGISTRAR,)  # who reads and writes the registry (admin always)
DUPLICATE_LIST_LIMIT = 500  # pairs of the review list shown at once, most likely first


def may_read_registry(actor: User | None) -> User:
    """The registry's one reading rule: the actor, if it may read personal data; else the refusal."""
    return permissions.require_role(actor, *REGISTRARS)


def register_household(
    session: Session, actor: User | None, data: HouseholdCreate, *, comment: str | None = None
) -> Household:
    user = may_read_registry(actor)
    origin = get_by_code(session, Settlement, data.origin_settlement_code)
    place = scope.Place(settlement_id=origin.id, settlement_field="origin_settlement_code")
    scope.ensure_may_write(session, user, place)
    household = service.register_household(session, data)
    audit.record_change(session, user, "create", household, before=None, comment=comment)
    return household


def mark_returned(
    session: Session, actor: User | None, code: str, on: dt.date, *, version: int, comment: str | None = None
) -> Household:
    """A household is home (its consent on record, never before it registered)."""
    user = may_read_registry(actor)
    household = service.get_household(session, code)
    scope.ensure_may_write(session, user, scope.Place(settlement_id=household.origin_settlement_id))
    check_version(household, version)
    before = audit.snapshot(household)
    service.mark_returned(session, code, on)
    audit.record_change(session, user, "update", household, before=before, comment=comment)
    return household


def reconfirm_return(
    session: Session, actor: User | None, code: str, consent: bool, on: dt.date, method: ConfirmationMethod,
    taken_by: str | None = None, *, version: int, comment: str | None = None,
) -> Household:  # fmt: skip
    """A household reconfirms (or withdraws) its voluntary return: when, how, and who took it down (`taken_by`, else
    the account recording it). Only a household whose latest answer is yes goes on a convoy (planning.allocation)."""
    user = may_read_registry(actor)
    household = service.get_household(session, code)
    scope.ensure_may_write(session, user, scope.Place(settlement_id=household.origin_settlement_id))
    check_version(household, version)
    before = audit.snapshot(household)
    service.record_consent(session, household, consent, on)
    confirmation = service.record_confirmation(session, household, consent, on, method, taken_by or user.username)
    after = audit.snapshot(household) | {"confirmation": audit.snapshot(confirmation)}
    audit.record_change(session, user, "update", household, before=before, after=after, comment=comment)
    return household


def visible_confirmations(session: Session, actor: User | None, code: str) -> list[ReturnConfirmation]:
    """A household's confirmations of its return, latest first, for those who may read the registry."""
    may_read_registry(actor)
    return service.confirmations_of(session, service.get_household(session, code))


def visible_household(session: Session, actor: User | None, code: str) -> Household:
    """One household's record, for those who may read the registry."""
    may_read_registry(actor)
    return service.get_household(session, code)


def visible_households_of(
    session: Session, actor: User | None, settlement_code: str, *, like: str | None = None, status: str | None = None
) -> tuple[Settlement, Select[Household]]:
    """The households registered from one settlement (names and needs), for those who may read the registry: the
    statement the door pages and sorts."""
    may_read_registry(actor)
    settlement = get_by_code(session, Settlement, settlement_code)
    return settlement, read_models.households_matching(like=like, settlement_id=settlement.id, status=status)


def visible_households(
    _session: Session, actor: User | None, *, like: str | None = None, settlement_id: int | None = None,
    district_id: int | None = None, status: str | None = None,
) -> Select[Household]:  # fmt: skip
    """Households whose code or head's name holds `like`, from a settlement or a district, in a status (each when
    given), for registry readers: the statement the door pages and sorts."""
    may_read_registry(actor)
    return read_models.households_matching(like=like, settlement_id=settlement_id, district_id=district_id,
                                           status=status)  # fmt: skip


def visible_members(session: Session, actor: User | None, code: str) -> tuple[Household, list[HouseholdMember]]:
    """A household and its people (names, births, documents, needs), for those who may read the registry."""
    may_read_registry(actor)
    household = service.get_household(session, code)
    return household, members.members_of(session, household)


def visible_merged_members(session: Session, actor: User | None, code: str) -> list[MemberMerge]:
    """The household's people merged into another record (who, into whom, when, by whom), for registry readers."""
    may_read_registry(actor)
    return merges.merged_out_of(session, service.get_household(session, code))


def add_member(
    session: Session, actor: User | None, code: str, data: MemberCreate, *, now: dt.datetime, comment: str | None = None
) -> HouseholdMember:
    """One more person in a household; its size, children and elderly are then counted from its members."""
    user, household = _writable_household(session, actor, code)
    household_before = audit.snapshot(household)
    member = members.add_member(session, household, data, now.date())
    after = audit.snapshot(member) | {"household_change": audit.linked_change(household, household_before)}
    audit.record_change(session, user, "create", member, before=None, after=after, comment=comment)
    return member


def change_member(
    session: Session, actor: User | None, code: str, number: int, data: MemberCreate, *, now: dt.datetime,
    version: int, comment: str | None = None,
) -> HouseholdMember:  # fmt: skip
    user, household = _writable_household(session, actor, code)
    member = members.get_member(session, household, number)
    check_version(member, version)
    before, household_before = audit.snapshot(member), audit.snapshot(household)
    members.change_member(session, member, data, now.date())
    after = audit.snapshot(member) | {"household_change": audit.linked_change(household, household_before)}
    audit.record_change(session, user, "update", member, before=before, after=after, comment=comment)
    return member


def remove_member(
    session: Session, actor: User | None, code: str, number: int, *, now: dt.datetime, version: int,
    comment: str | None = None,
) -> Household:  # fmt: skip
    """A person taken off a household (registered by mistake, or a duplicate); the household is recounted."""
    user, household = _writable_household(session, actor, code)
    member = members.get_member(session, household, number)
    check_version(member, version)
    before, household_before = audit.snapshot(member), audit.snapshot(household)
    filed = member.code
    members.remove_member(session, member, now.date())
    after = {"household_change": audit.linked_change(household, household_before)}
    audit.record_change(session, user, "delete", member, before=before, after=after, comment=comment, code=filed)
    return household


def _writable_household(session: Session, actor: User | None, code: str) -> tuple[User, Household]:
    user = may_read_registry(actor)
    household = service.get_household(session, code)
    scope.ensure_may_write(session, user, scope.Place(settlement_id=household.origin_settlement_id))
    return user, household


def find_duplicates(session: Session, actor: User | None, *, now: dt.datetime, seed: int = 0) -> duplicates.StoredPairs:
    """Search the whole registry for people registered twice (households.dedupe) here and now (the command line's
    inline run) and put the likely pairs on the registrars' review list; one audit entry for the run."""
    user = may_read_registry(actor)
    found = dedupe.find_duplicates(duplicates.people_for_search(session), seed=seed)
    return search_jobs.store_search(session, found, user.username, f"dedupe-{now:%Y%m%d-%H%M%S}", now)


def start_duplicate_search(session: Session, actor: User | None, *, now: dt.datetime, seed: int = 0) -> Job:
    """Queue the search as a job for the workers (households.jobs); refused while one is under way. Audited as
    queued (this entry) and as done (the worker's entry for the pairs stored)."""
    user = may_read_registry(actor)
    job = search_jobs.start_search_job(session, user.username, now, seed)
    audit.record_change(session, user, "create", job, before=None)
    return job


def visible_latest_search(session: Session, actor: User | None) -> Job | None:
    """The duplicate search asked for last (the review page shows whether one is under way), for registrars."""
    may_read_registry(actor)
    return search_jobs.latest_search(session)


def visible_duplicate_candidates(
    session: Session, actor: User | None, status: DuplicateStatus | None = DuplicateStatus.OPEN,
    limit: int = DUPLICATE_LIST_LIMIT,
) -> list[DuplicateCandidate]:  # fmt: skip
    """The review list (both people of each pair: personal data), for those who may read the registry."""
    may_read_registry(actor)
    return duplicates.listed_pairs(session, status, limit)


def visible_household_notes(session: Session, actor: User | None) -> list[merges.HouseholdNote]:
    """The households the merges left to look at (empty, or perhaps one family with another), for registrars."""
    may_read_registry(actor)
    return merges.household_notes(session)


def decide_duplicate(
    session: Session, actor: User | None, candidate_id: int, status: DuplicateStatus, *, now: dt.datetime,
    version: int, force: bool = False, comment: str | None = None,
) -> DuplicateCandidate:  # fmt: skip
    """A registrar's decision on a pair. The same person: the registry ends with one (households.merges: the older
    record kept, the other merged into it; refused when their sex or birth years disagree, unless `force`d with a
    comment). Two different people: the pair stays decided (a later search does not put it back)."""
    user = may_read_registry(actor)
    candidate = duplicates.get_candidate(session, candidate_id)
    for member in (candidate.member, candidate.other_member):
        scope.ensure_may_write(session, user, scope.Place(settlement_id=member.household.origin_settlement_id))
    check_version(candidate, version)
    duplicates.ensure_open(candidate)
    same = status is DuplicateStatus.SAME_PERSON
    forced = merges.check_mergeable(session, candidate, force=force, comment=comment) if same else False
    before = audit.snapshot(candidate)
    duplicates.decide(session, candidate, status, user.username, now)
    after = audit.snapshot(candidate)
    if same:
        after |= merges.merge_people(session, candidate, user.username, now, forced=forced)
    audit.record_change(session, user, "update", candidate, before=before, after=after, comment=comment)
    return candidate
