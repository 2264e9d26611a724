"""Issue 22: a "same person" decision leaves one person in the registry (both engines): the older record kept with
what only the other had, the other merged into it (kept, traceable, audited once with before and after), counted
nowhere any more (size, needs, the allocation's priority, the search); merges the records contradict are refused
unless forced with a comment; households the merges leave empty or perhaps one family are said on the review list."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import household
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.errors import Conflict, DomainError
from homecoming.households import actions, duplicates, merges
from homecoming.households import service as households
from homecoming.households.dedupe import Candidate
from homecoming.households.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdMember,
    MemberMerge,
    Sex,
    SpecificNeed,
)
from homecoming.households.rules import MAX_BIRTH_YEAR_GAP
from homecoming.households.schemas import MemberCreate
from homecoming.planning.allocation import member_needs

NOW = dt.datetime(2026, 12, 2, 9, 0)
BORN = dt.date(1970, 5, 1)


def registrar(session: Session) -> User:
    user = User(username="registrar", password_hash="x", role=Role.REGISTRAR, active=True)
    session.add(user)
    session.flush()
    return user


def person(
    given: str = "Leyla", sex: Sex = Sex.FEMALE, born: dt.date = BORN, document: str | None = None,
    needs: tuple[SpecificNeed, ...] = (),
) -> MemberCreate:  # fmt: skip
    return MemberCreate(given_name=given, family_name="Məmmədova", birth_date=born, sex=sex, specific_needs=list(needs),
                        document_type="national_id" if document else None, document_number=document)  # fmt: skip


def home(session: Session, user: User, code: str, *people: MemberCreate, registered: dt.date | None = None) -> None:
    data = household(code)
    if registered is not None:
        data = data.model_copy(update={"registered_on": registered, "consent_date": registered})
    households.register_household(session, data)
    for one in people:
        actions.add_member(session, user, code, one, now=NOW)


def member(session: Session, code: str) -> HouseholdMember:
    household_code, number = code.split("/")
    return session.scalars(select(HouseholdMember).join(Household).where(
        Household.code == household_code, HouseholdMember.number == int(number))).one()  # fmt: skip


def pair(session: Session, first: str, second: str) -> DuplicateCandidate:
    """A pair on the review list as the search would put it there."""
    a, b = sorted((member(session, first).id, member(session, second).id))
    duplicates.store_candidates(session, [*_listed(session), Candidate(a, b, 0.99, {"sex": "exact"})], NOW)
    return session.scalars(select(DuplicateCandidate).where(DuplicateCandidate.member_id == a,
                                                           DuplicateCandidate.other_member_id == b)).one()  # fmt: skip


def _listed(session: Session) -> list[Candidate]:
    listed = session.scalars(select(DuplicateCandidate).where(DuplicateCandidate.status == DuplicateStatus.OPEN))
    return [Candidate(c.member_id, c.other_member_id, c.match_probability, c.agreements) for c in listed]


def same(session: Session, user: User, candidate: DuplicateCandidate, **kwargs: object) -> DuplicateCandidate:
    return actions.decide_duplicate(session, user, candidate.id, DuplicateStatus.SAME_PERSON, now=NOW,
                                    version=candidate.version, **kwargs)  # type: ignore[arg-type]  # fmt: skip


def size(session: Session, code: str) -> int:
    return session.scalars(select(Household.size).where(Household.code == code)).one()


def test_the_older_record_is_kept_with_what_only_the_other_had_and_the_other_is_merged_into_it(
    territory_session: Session,
) -> None:
    session, user = territory_session, registrar(territory_session)
    home(session, user, "hh-new", person("Lejla", document="AZE1", needs=(SpecificNeed.DISABILITY,)), person("Ali"))
    home(session, user, "hh-old", person(needs=(SpecificNeed.CHRONIC_ILLNESS,)), person("Aysel"),
         registered=dt.date(2021, 1, 1))  # registered first, though its members were entered after  # fmt: skip
    assert (size(session, "hh-new"), size(session, "hh-old")) == (2, 2)
    candidate = pair(session, "hh-new/1", "hh-old/1")
    same(session, user, candidate, comment="one woman")
    kept, merged = member(session, "hh-old/1"), member(session, "hh-new/1")
    assert (kept.given_name, kept.document_number, kept.specific_needs) == (
        "Leyla", "AZE1", ["chronic_illness", "disability"])  # fmt: skip
    merge = session.scalars(select(MemberMerge)).one()
    assert (merge.merged_member_id, merge.kept_member_id, merge.candidate_id, merge.merged_by, merge.forced) == (
        merged.id, kept.id, candidate.id, "registrar", False)  # fmt: skip
    assert merged.given_name == "Lejla"  # the row stays as it was, for the trail
    assert (size(session, "hh-new"), size(session, "hh-old")) == (1, 2)  # the merged person no longer counts
    assert [m.given_name for m in actions.visible_members(session, user, "hh-new")[1]] == ["Ali"]
    [trace] = actions.visible_merged_members(session, user, "hh-new")
    assert (trace.merged_member.code, trace.kept_member.code) == ("hh-new/1", "hh-old/1")
    assert actions.visible_merged_members(session, user, "hh-old") == []
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "duplicate_candidates")).all()
    assert (entry.action, entry.record_code, entry.comment) == ("update", f"DUP-{candidate.id}", "one woman")
    assert entry.before["status"] == "open" and entry.after["status"] == "same_person"
    assert entry.after["kept_member"]["before"]["document_number"] is None
    assert entry.after["kept_member"]["after"]["document_number"] == "AZE1"
    assert entry.after["merged_member"] == "hh-new/1"
    assert {h["record"]: (h["before"]["size"], h["after"]["size"]) for h in entry.after["households"]} == {
        "hh-new": (2, 1), "hh-old": (2, 2)}  # fmt: skip
    with pytest.raises(Conflict) as changed:
        actions.remove_member(session, user, "hh-new", 1, now=NOW, version=merged.version)
    assert changed.value.code == "households.member_merged"


def test_a_merged_member_counts_neither_in_the_allocation_nor_in_the_next_search(territory_session: Session) -> None:
    session, user = territory_session, registrar(territory_session)
    home(session, user, "hh-a", person())
    home(session, user, "hh-b", person("Lejla", needs=(SpecificNeed.UNACCOMPANIED_CHILD,)), person("Ali"))
    hh_b = session.scalars(select(Household.id).where(Household.code == "hh-b")).one()
    assert member_needs(session)[hh_b] == {"unaccompanied_child"}
    open_pair = pair(session, "hh-b/1", "hh-b/2")  # another open pair of the record to be merged
    same(session, user, pair(session, "hh-a/1", "hh-b/1"))
    assert hh_b not in member_needs(session)  # the household's priority no longer holds the merged person's need
    assert session.get(DuplicateCandidate, open_pair.id) is None  # taken off: the next search pairs the kept record
    searched = {p.id for p in duplicates.people_for_search(session)}
    assert member(session, "hh-b/1").id not in searched and member(session, "hh-a/1").id in searched
    decided = duplicates.store_candidates(session, [], NOW)  # a search that finds nothing keeps the decision
    assert decided.dropped == 0 and session.scalar(select(func.count()).select_from(DuplicateCandidate)) == 1


@pytest.mark.parametrize(
    ("other", "code"),
    [
        (person("Leyla", sex=Sex.MALE), "households.merge_different_sex"),
        (person(born=BORN.replace(year=BORN.year + MAX_BIRTH_YEAR_GAP + 1)), "households.merge_birth_years_apart"),
    ],
)
def test_a_merge_the_records_contradict_is_refused_unless_forced_with_a_comment(
    territory_session: Session, other: MemberCreate, code: str
) -> None:
    session, user = territory_session, registrar(territory_session)
    home(session, user, "hh-a", person())
    home(session, user, "hh-b", other)
    candidate = pair(session, "hh-a/1", "hh-b/1")
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    for refused, kwargs in ((code, {}), ("households.force_needs_comment", {"force": True, "comment": " "})):
        with pytest.raises(DomainError) as caught:
            same(session, user, candidate, **kwargs)
        assert caught.value.code == refused
    assert candidate.status is DuplicateStatus.OPEN and session.scalars(select(MemberMerge)).all() == []
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries  # nothing written
    same(session, user, candidate, force=True, comment="the clerk swapped the fields; seen in person")
    assert session.scalars(select(MemberMerge.forced)).one() is True


def test_birth_years_up_to_the_gap_apart_merge_without_force(territory_session: Session) -> None:
    session, user = territory_session, registrar(territory_session)
    home(session, user, "hh-a", person())
    home(session, user, "hh-b", person(born=BORN.replace(year=BORN.year - MAX_BIRTH_YEAR_GAP)))
    same(session, user, pair(session, "hh-a/1", "hh-b/1"))
    assert session.scalars(select(MemberMerge.forced)).one() is False


def test_households_left_empty_or_perhaps_one_family_are_said_on_the_review_list_not_merged(
    territory_session: Session,
) -> None:
    session, user = territory_session, registrar(territory_session)
    home(session, user, "hh-a", person(), person("Ali", sex=Sex.MALE))
    home(session, user, "hh-b", person("Lejla"), person("Əli", sex=Sex.MALE))
    home(session, user, "hh-c", person("Aysel", born=dt.date(1990, 1, 1)))
    home(session, user, "hh-d", person("Aysel", born=dt.date(1990, 1, 1)))
    assert actions.visible_household_notes(session, user) == []
    same(session, user, pair(session, "hh-a/1", "hh-b/1"))
    assert actions.visible_household_notes(session, user) == []  # one person in common says nothing yet
    same(session, user, pair(session, "hh-a/2", "hh-b/2"))
    same(session, user, pair(session, "hh-c/1", "hh-d/1"))
    assert actions.visible_household_notes(session, user) == [
        merges.HouseholdNote("left_empty", "hh-b", None, 2),
        merges.HouseholdNote("left_empty", "hh-d", None, 1),
        merges.HouseholdNote("same_family", "hh-a", "hh-b", 2),
    ]
    assert session.scalar(select(func.count()).select_from(Household)) == 4  # no household merged or removed


def test_a_pair_of_an_already_merged_record_is_refused(territory_session: Session) -> None:
    session, user = territory_session, registrar(territory_session)
    home(session, user, "hh-a", person())
    home(session, user, "hh-b", person())
    home(session, user, "hh-c", person())
    same(session, user, pair(session, "hh-a/1", "hh-b/1"))
    late = pair(session, "hh-b/1", "hh-c/1")  # e.g. written by a search that read the registry before the merge
    with pytest.raises(Conflict) as caught:
        same(session, user, late)
    assert caught.value.code == "households.member_merged"
