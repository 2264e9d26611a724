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
   withholding the next smallest part, or the total when no part is left; groups are revisited until none
   changes, so a cell withheld in one group (a district) is withheld in every group it belongs to (the country).
3. A withheld cell shows `<threshold` (`None` in the API); a total is a cell like any other.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from homecoming.accounts.models import Role

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


def shown(count: int, threshold: int) -> int | None:
    """One count on its own (no published total it is part of): withheld (None) when small."""
    return None if is_small(count, threshold) else count


def words(count: int, threshold: int) -> str:
    """A count inside a sentence (the planner's notes): `<5` when small, else the number as `1,234`."""
    return f"<{threshold}" if is_small(count, threshold) else f"{count:,}"


@dataclass(frozen=True)
class Group(Generic[K]):
    """Figures tied by a sum: `total` = sum of `parts`. `total` None: the total is published nowhere."""

    total: K | None
    parts: tuple[K, ...]


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
    candidates = sorted((p for p in group.parts if p not in hidden and sizes[p] > 0), key=lambda p: (sizes[p], str(p)))
    if candidates:
        return candidates[0]
    return None if total_hidden else group.total


def running_totals(sizes: Sequence[int], threshold: int, hide_end: bool = False) -> list[bool]:
    """Which running totals of a series (a running total per year) may be shown, given each step's households.

    A step smaller than `threshold` is merged with the following ones until the merged steps reach it (their
    running totals are withheld), so the difference of two shown running totals is never a small count; a small
    remainder at the end also withholds the last shown running total before it (the grand total is published
    elsewhere; `hide_end` asks for that also when the grand total's own complement is withheld)."""
    shown_at = [False] * len(sizes)
    closing: list[int] = []  # indices where a non-empty merged step closes
    pending = 0
    for index, size in enumerate(sizes):
        pending += size
        if pending == 0 or pending >= threshold:
            shown_at[index] = True
            if pending:
                closing.append(index)
            pending = 0
    if (pending or hide_end) and closing:
        last = closing[-1]
        for index in range(last, len(sizes)):
            shown_at[index] = False
    return shown_at


def steps_shown(running: Sequence[bool]) -> list[bool]:
    """A step's own figure is the difference of its running total and the one before: shown when both are."""
    return [shown_here and (index == 0 or running[index - 1]) for index, shown_here in enumerate(running)]
