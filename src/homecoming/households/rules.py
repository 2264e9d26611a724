"""The household rules that read its members: who it counts, and how much its specific needs weigh in the plan.

Pure functions over plain values, so the planner, the registry and the tests apply the same rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from homecoming.households.models import SpecificNeed
from homecoming.phrases import Phrase

CHILD_UNDER_YEARS = 18
ELDERLY_FROM_YEARS = 65
# Needs of people who cannot manage a move on their own: their household goes one level higher still.
URGENT_NEEDS = frozenset({
    SpecificNeed.UNACCOMPANIED_CHILD, SpecificNeed.SEPARATED_CHILD, SpecificNeed.OLDER_PERSON_ALONE,
    SpecificNeed.SERIOUS_MEDICAL_CONDITION,
})  # fmt: skip


@dataclass(frozen=True)
class Counts:
    size: int
    children: int
    elderly: int


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years of age on `on`."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def counts_from_members(birth_dates: Iterable[dt.date], on: dt.date) -> Counts:
    """A household's size, children (under 18) and elderly (65 and over) on `on`, counted from its members.

    The rule for size: once a household has members, its size IS its members (the registrar enters every person);
    until then it is the size registered."""
    ages = [age_on(born, on) for born in birth_dates]
    return Counts(
        size=len(ages),
        children=sum(1 for a in ages if a < CHILD_UNDER_YEARS),
        elderly=sum(1 for a in ages if a >= ELDERLY_FROM_YEARS),
    )


def household_needs(
    member_needs: Iterable[str], *, disability: bool, chronic_illness: bool, single_parent: bool
) -> frozenset[SpecificNeed]:
    """Every specific need of a household: its members' and those recorded on the household itself (the registry's
    flags from before it recorded members)."""
    flagged = (
        (disability, SpecificNeed.DISABILITY),
        (chronic_illness, SpecificNeed.CHRONIC_ILLNESS),
        (single_parent, SpecificNeed.SINGLE_PARENT),
    )
    return frozenset({SpecificNeed(n) for n in member_needs} | {need for present, need in flagged if present})


def allocation_priority(needs: Iterable[SpecificNeed], *, older_member: bool) -> int:
    """The household's priority level in the allocation (0, 1 or 2): any specific need (or an older member, as the
    plan always counted one) raises it by one level, an urgent need (URGENT_NEEDS) by one more. The allocation
    weighs a household's waiting by (1 + priority), so a level moves it ahead of a household of the same size."""
    present = set(needs)
    return (1 if present or older_member else 0) + (1 if present & URGENT_NEEDS else 0)


# Two people decided to be one are refused when their records disagree on what a registration rarely gets wrong:
# their sex, or their birth years by more than MAX_BIRTH_YEAR_GAP (a typo in the year, an estimated age). A registrar
# who knows better forces the merge with a comment (kept in the audit trail). docs/households.md says the same.
MAX_BIRTH_YEAR_GAP = 2


@dataclass(frozen=True)
class MergeRefusal:
    code: str
    message: Phrase
    details: dict[str, object]


def merge_refusal(sexes: tuple[str, str], births: tuple[dt.date, dt.date]) -> MergeRefusal | None:
    """Why two records should not be merged into one person, if they disagree on sex or birth year (None: they may)."""
    if sexes[0] != sexes[1]:
        said = Phrase("The two records are of different sex ({first}, {second}): correct one of them, or force the "
                      "merge with a comment.", first=Phrase(sexes[0]), second=Phrase(sexes[1]))  # fmt: skip
        return MergeRefusal("households.merge_different_sex", said, {"sex": list(sexes)})
    gap = abs(births[0].year - births[1].year)
    if gap > MAX_BIRTH_YEAR_GAP:
        said = Phrase("The two records were born {gap} years apart (more than {most}): correct one of them, or force "
                      "the merge with a comment.", gap=gap, most=MAX_BIRTH_YEAR_GAP)  # fmt: skip
        return MergeRefusal("households.merge_birth_years_apart", said,
                            {"years_apart": gap, "max_years_apart": MAX_BIRTH_YEAR_GAP})  # fmt: skip
    return None
