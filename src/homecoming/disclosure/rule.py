"""The one disclosure-control rule: what a public or viewer-facing count of households or people may show.

Pure (no database): the figure builders in `homecoming.disclosure.figures` read the counts and ask this module which
cells to withhold. The rule, in full (docs/security.md, "Small counts"):

1. Primary suppression. A cell counting between 1 and `threshold - 1` households (Settings.small_count_threshold,
   5 by default) is withheld; a cell that counts people goes with the households it belongs to. Zero is shown: it
   says nothing about anyone.
2. Complementary suppression. Published figures are tied by sums: a district's households are the sum of its
   settlements', the programme's returns the sum of the settlements', a running total the previous one plus the
   year's. For every such group (a total and its parts) the withheld members are never exactly one (else the
   total minus the published parts gives it), and when the total is shown the withheld parts add up to at least
   `threshold` households (else the difference is itself a small count). Whatever is missing is made up by
   withholding the next smallest part, or the total when no part is left (a running total: the total first, so a
   withheld year is merged with the next); groups are revisited until none
   changes, so a cell withheld in one group (a district) is withheld in every group it belongs to (the country).
3. A withheld cell shows `<threshold` when small and `—` when withheld as a complement (`None` in the API); a
   total is a cell like any other.
4. A figure that sums an unknown subset of cells, some withheld (a risk band), is rounded (`rounded`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from homecoming.accounts.roles import Role

K = TypeVar("K", bound=Hashable)

# Who reads exact counts: the roles that may read the registry itself (households/API routes, /registry pages), so
# an exact count tells them nothing they cannot already see. Everyone else, the public and viewers included, gets the
# protected figures.
EXACT_COUNT_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})


def sees_exact_counts(role: Role | None) -> bool:
    return role in EXACT_COUNT_ROLES


def is_small(households: int, threshold: int) -> bool:
    """A count small enough to single out a family; zero says nothing about anyone."""
    return 0 < households < threshold


def rounded(people: int, threshold: int) -> int:
    """A figure that is the sum of some unknown subset of cells, some withheld (the risk page's bands: people
    ready by a year's end in the 10th, 50th, 90th percentile scenario), rounded to a multiple of `10 * threshold`:
    subtracting published cells from it can no longer land exactly on a withheld one."""
    base = 10 * threshold
    return base * round(people / base)


def words(count: int, threshold: int) -> int | str:
    """A count inside a sentence (the planner's notes): `<5` when small, else the number (which the sentence then
    writes as its reader's language does: 1,234 or 1.234)."""
    return f"<{threshold}" if is_small(count, threshold) else count


@dataclass(frozen=True)
class Group(Generic[K]):
    """Figures tied by a sum: `total` = sum of `parts`. `total` None: the total is published nowhere.

    `total_first`: when the last part alone is withheld, withhold the total rather than another part. A running
    total is the one before plus its year: a withheld year then withholds its running total, merging it with the
    next year, instead of unravelling the series back to its start."""

    total: K | None
    parts: tuple[K, ...]
    total_first: bool = False


def withhold(
    sizes: Mapping[K, int], groups: Iterable[Group[K]], threshold: int, also: Iterable[K] = ()
) -> frozenset[K]:
    """The cells to withhold: the small ones (and `also`, cells withheld elsewhere that these tables repeat), then
    as many complements as rule 2 needs. `sizes` gives every cell's households (the measure of smallness)."""
    groups = list(groups)
    hidden = {key for key, size in sizes.items() if is_small(size, threshold)} | set(also)
    changed = True
    while changed:
        changed = False
        for group in groups:
            extra = _complement(group, sizes, hidden, threshold)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return frozenset(hidden)


def _complement(group: Group[K], sizes: Mapping[K, int], hidden: set[K], threshold: int) -> K | None:
    """The next cell this group needs withheld, or None when no withheld member can be worked out from it."""
    parts = [p for p in group.parts if p in hidden]
    total_hidden = group.total is not None and group.total in hidden
    if not parts and not total_hidden:
        return None
    if total_hidden:
        if parts:
            return None
    elif group.total is None or (len(parts) >= 2 and sum(sizes[p] for p in parts) >= threshold):
        return None
    if group.total_first and not total_hidden and parts == [group.parts[-1]]:
        return group.total
    candidates = sorted((p for p in group.parts if p not in hidden and sizes[p] > 0), key=lambda p: (sizes[p], str(p)))
    if candidates:
        return candidates[0]
    return None if total_hidden else group.total
