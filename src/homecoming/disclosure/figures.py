"""The protected tables: counts of households and people as every public or viewer-facing output shows them.

Each function reads the counts once and passes the whole table (with the sums that tie it together) through
`rule.withhold`, so a page, an API answer and an export that show the same figure show the same protected value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.db import freshness
from homecoming.disclosure.rule import Group, is_small, withhold
from homecoming.households import service as households_service
from homecoming.returns.models import ReturnEvent
from homecoming.territory.models import Settlement


@dataclass(frozen=True)
class Count:
    """A protected cell: `households` None when withheld (`people` goes with it); `small` says why, for the page's
    mark (`<5` for a small count; a complement is withheld without a claim about its size)."""

    households: int | None
    people: int | None
    small: bool = False

    @classmethod
    def of(cls, households: int, people: int, hidden: bool, threshold: int) -> Count:
        if not hidden:
            return cls(households, people)
        return cls(None, None, is_small(households, threshold) or (households == 0 and is_small(people, threshold)))


def _size(families: int, people: int) -> int:
    """How many households a cell counts; a return reported in people only is measured in people."""
    return families if families else people


@dataclass(frozen=True)
class Waiting:
    """Households registered and not yet returned: per district of origin (the overview) and per settlement."""

    by_district: dict[int, Count]
    by_settlement: dict[int, Count]
    withheld_settlements: frozenset[int]
    synthetic: bool  # the registry holds the demo's generated households (read in the same pass)


def waiting(session: Session, threshold: int) -> Waiting:
    """Country -> district -> settlement: a district's count is the sum of its settlements' (their pages), so a
    small settlement is withheld together with a neighbour or with the district's total. Computed once per
    committed change: every settlement page needs the whole table (db.freshness)."""
    return freshness.cached(session, ("disclosure.waiting", threshold), lambda: _waiting(session, threshold))


def _waiting(session: Session, threshold: int) -> Waiting:
    registry = households_service.registry_counts(session)
    counts = registry.waiting_by_settlement
    district_of = {sid: did for sid, did in session.execute(select(Settlement.id, Settlement.district_id))}
    members: dict[int, list[int]] = defaultdict(list)
    for settlement_id in sorted(counts):
        members[district_of[settlement_id]].append(settlement_id)
    sizes: dict[tuple[str, int], int] = {("s", s): counts[s][0] for s in counts}
    people: dict[tuple[str, int], int] = {("s", s): counts[s][1] for s in counts}
    for district_id, settlements in members.items():
        sizes["d", district_id] = sum(counts[s][0] for s in settlements)
        people["d", district_id] = sum(counts[s][1] for s in settlements)
    groups = [Group(("d", d), tuple(("s", s) for s in settlements)) for d, settlements in members.items()]
    groups.append(Group(None, tuple(("d", d) for d in members)))  # the national total is not published
    hidden = withhold(sizes, groups, threshold)
    cells = {key: Count.of(sizes[key], people[key], key in hidden, threshold) for key in sizes}
    return Waiting(
        by_district={key[1]: cell for key, cell in cells.items() if key[0] == "d"},
        by_settlement={key[1]: cell for key, cell in cells.items() if key[0] == "s"},
        withheld_settlements=frozenset(key[1] for key in hidden if key[0] == "s"),
        synthetic=registry.synthetic,
    )


@dataclass(frozen=True)
class Returns:
    """Reported returns: the programme's total, per settlement (the overview), per event (a settlement's page)."""

    total: Count
    by_settlement: dict[int, Count]
    by_event: dict[str, Count]


def returns(session: Session, threshold: int) -> Returns:
    """A settlement's returns are its latest cumulative count plus the groups after it, and a cumulative count the
    one before plus the groups between (returns.service.returned_by_settlement): each such sum is a group."""
    return freshness.cached(session, ("disclosure.returns", threshold), lambda: _returns(session, threshold))


def _returns(session: Session, threshold: int) -> Returns:
    per_settlement: dict[int, list[ReturnEvent]] = defaultdict(list)
    for event in session.scalars(select(ReturnEvent).order_by(ReturnEvent.event_date, ReturnEvent.code)):
        per_settlement[event.settlement_id].append(event)
    figures: dict[tuple[str, str], tuple[int, int]] = {}
    groups: list[Group[tuple[str, str]]] = []
    for settlement_id, events in per_settlement.items():
        for event in events:
            figures["e", event.code] = (event.families or 0, event.people or 0)
        open_segment: list[tuple[str, str]] = []
        previous: tuple[str, str] | None = None
        for event in events:
            key = ("e", event.code)
            if event.cumulative:
                groups.append(Group(key, tuple([previous] if previous else []) + tuple(open_segment)))
                previous, open_segment = key, []
            else:
                open_segment.append(key)
        counted = tuple([previous] if previous else []) + tuple(open_segment)
        figures["s", str(settlement_id)] = (sum(figures[k][0] for k in counted), sum(figures[k][1] for k in counted))
        groups.append(Group(("s", str(settlement_id)), counted))
    settlements = tuple(k for k in figures if k[0] == "s")
    figures["t", ""] = (sum(figures[k][0] for k in settlements), sum(figures[k][1] for k in settlements))
    groups.append(Group(("t", ""), settlements))
    hidden = withhold({k: _size(*v) for k, v in figures.items()}, groups, threshold)
    cells = {k: Count.of(*v, k in hidden, threshold) for k, v in figures.items()}
    return Returns(
        total=cells["t", ""],
        by_settlement={int(k[1]): c for k, c in cells.items() if k[0] == "s"},
        by_event={k[1]: c for k, c in cells.items() if k[0] == "e"},
    )
