"""A "same person" decision carried out: the registry ends with one person (who may: households.actions).

The record kept is the older one: the person whose household registered first (then the member entered first). It
takes over what only the other record has (a document, a patronymic, specific needs); the other record is merged
into it (a `member_merges` row: never deleted, so its trail and its household's history stay). A merged member no
longer counts: members.active_members is the one filter (household size and needs, the allocation, the search).

Households are never merged here: a household left with nobody, or two households with SAME_FAMILY_SHARED people
merged across them (perhaps one family registered twice), is said on the review list (household_notes) for the
registrar to settle by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from homecoming.audit import service as audit
from homecoming.errors import Conflict, RuleViolation
from homecoming.households import members, rules
from homecoming.households.models import DuplicateCandidate, DuplicateStatus, Household, HouseholdMember, MemberMerge
from homecoming.phrases import Phrase

SAME_FAMILY_SHARED = 2  # people merged across two households from which they are said to be perhaps one family


def check_mergeable(session: Session, candidate: DuplicateCandidate, *, force: bool, comment: str | None) -> bool:
    """Refuse a merge the records contradict (rules.merge_refusal) unless forced with a comment, and a person already
    merged; answers whether the merge goes past a refusal (then it is recorded as forced)."""
    people = (candidate.member, candidate.other_member)
    for person in people:
        if members.is_merged(session, person):
            said = Phrase("{member} was already merged into another record: decide the pairs of the record kept.",
                          member=person.code)  # fmt: skip
            raise Conflict("households.member_merged", said, {"member": person.code})
    if force and not (comment or "").strip():
        said = Phrase("A forced merge needs a comment saying why the two records are one person.")
        raise RuleViolation("households.force_needs_comment", said, {"field": "comment"})
    sexes, births = (str(people[0].sex), str(people[1].sex)), (people[0].birth_date, people[1].birth_date)
    refusal = rules.merge_refusal(sexes, births)
    if refusal is not None and not force:
        raise RuleViolation(refusal.code, refusal.message, refusal.details)
    return refusal is not None


def older_first(candidate: DuplicateCandidate) -> tuple[HouseholdMember, HouseholdMember]:
    """(kept, merged): the record of the household registered first, then the member entered first."""
    kept, merged = sorted((candidate.member, candidate.other_member),
                          key=lambda m: (m.household.registered_on, m.id))  # fmt: skip
    return kept, merged


def merge_people(
    session: Session, candidate: DuplicateCandidate, by: str, now: dt.datetime, *, forced: bool
) -> dict[str, Any]:
    """Merge the pair's younger record into the older; answers what changed, for the decision's one audit entry."""
    kept, merged = older_first(candidate)
    kept_before = audit.snapshot(kept)
    homes = {kept.household.id: kept.household, merged.household.id: merged.household}
    homes_before = {key: audit.snapshot(home) for key, home in homes.items()}
    _carry_over(kept, merged)
    merge = MemberMerge(merged_member_id=merged.id, kept_member_id=kept.id, candidate_id=candidate.id, merged_by=by,
                        merged_at=now, forced=forced)  # fmt: skip
    session.add(merge)
    session.flush()
    dropped = _drop_open_pairs(session, merged, candidate)
    for home in homes.values():
        members.recount(session, home, now.date())
    return {
        "merge": audit.snapshot(merge),
        "kept_member": audit.linked_change(kept, kept_before, kept.code),
        "merged_member": merged.code,
        "households": [audit.linked_change(home, homes_before[key]) for key, home in homes.items()],
        "dropped_pairs": dropped,
    }


def _carry_over(kept: HouseholdMember, merged: HouseholdMember) -> None:
    """What only the merged record has: its document, its patronymic, its specific needs (added to the kept's)."""
    if kept.document_number is None and merged.document_number is not None:
        kept.document_type, kept.document_number = merged.document_type, merged.document_number
    if not kept.patronymic and merged.patronymic:
        kept.patronymic = merged.patronymic
    kept.specific_needs = sorted({*kept.specific_needs, *merged.specific_needs})


def _drop_open_pairs(session: Session, merged: HouseholdMember, decided: DuplicateCandidate) -> list[int]:
    """Open pairs of the merged record come off the list (the next search pairs the record kept instead)."""
    of_merged = or_(DuplicateCandidate.member_id == merged.id, DuplicateCandidate.other_member_id == merged.id)
    ids = list(session.scalars(select(DuplicateCandidate.id).where(
        of_merged, DuplicateCandidate.status == DuplicateStatus.OPEN, DuplicateCandidate.id != decided.id
    ).order_by(DuplicateCandidate.id)))  # fmt: skip
    if ids:
        session.execute(delete(DuplicateCandidate).where(DuplicateCandidate.id.in_(ids)))
    return ids


def merged_out_of(session: Session, household: Household) -> list[MemberMerge]:
    """The household's members merged into another record, in the order they were merged."""
    gone = aliased(HouseholdMember)
    query = select(MemberMerge).join(gone, gone.id == MemberMerge.merged_member_id)
    return list(session.scalars(query.where(gone.household_id == household.id).order_by(MemberMerge.id)).unique())


@dataclass(frozen=True)
class HouseholdNote:
    """A household the merges left for the registrar to look at (never settled by the software)."""

    kind: str  # "left_empty": nobody counts in it any more; "same_family": people merged across it and another
    household: str
    other_household: str | None
    people: int  # people merged out of it (left_empty) or across the two (same_family)


def household_notes(session: Session) -> list[HouseholdNote]:
    """Households left with no member, and pairs of households perhaps one family, for the review list."""
    gone, kept = aliased(HouseholdMember), aliased(HouseholdMember)
    across = session.execute(
        select(gone.household_id, kept.household_id, func.count())
        .select_from(MemberMerge)
        .join(gone, gone.id == MemberMerge.merged_member_id)
        .join(kept, kept.id == MemberMerge.kept_member_id)
        .group_by(gone.household_id, kept.household_id)
    ).all()  # fmt: skip
    merged_out: Counter[int] = Counter()
    shared: Counter[tuple[int, int]] = Counter()
    for gone_home, kept_home, count in across:
        merged_out[gone_home] += count
        if gone_home != kept_home:
            shared[(min(gone_home, kept_home), max(gone_home, kept_home))] += count
    codes = _codes(session, {*merged_out, *(h for pair in shared for h in pair)})
    anyone = exists().where(HouseholdMember.household_id == Household.id, members.active_members())
    empty = set(session.scalars(select(Household.id).where(Household.id.in_(list(merged_out)), ~anyone)))
    notes = [HouseholdNote("left_empty", codes[h], None, merged_out[h]) for h in sorted(empty, key=codes.__getitem__)]
    pairs = sorted((sorted((codes[a], codes[b])), n) for (a, b), n in shared.items() if n >= SAME_FAMILY_SHARED)
    return notes + [HouseholdNote("same_family", first, second, n) for (first, second), n in pairs]


def _codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Household.id, Household.code).where(Household.id.in_(list(ids))))
    return {household_id: code for household_id, code in rows}
