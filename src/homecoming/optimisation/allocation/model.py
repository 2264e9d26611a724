"""The allocation problem and its result as frozen dataclasses, and the rules a problem must obey."""

from __future__ import annotations

from dataclasses import dataclass, field

from homecoming.errors import Conflict, DomainError, NotFound, RuleViolation

PROBLEM_FORMAT = "homecoming-allocation/1"
SOLUTION_FORMAT = "homecoming-allocation-solution/1"


@dataclass(frozen=True, slots=True)
class Weights:
    """Cost weights of the objective (integers, so that the flow model is exact)."""

    wait: int = 1
    not_origin: int = 24
    extra_room: int = 2
    unplaced: int = 1000


@dataclass(frozen=True, slots=True)
class Settlement:
    id: str
    opens: int | None  # first period households may arrive; None: never opens
    convoy_households: int | None = None  # households arriving per period; None: no limit


@dataclass(frozen=True, slots=True)
class HousingBatch:
    settlement: str
    rooms: int
    ready: int
    count: int


@dataclass(frozen=True, slots=True)
class Household:
    id: str
    origin: str
    size: int
    rooms_needed: int
    available: int = 0
    priority: int = 0
    accepts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    periods: int
    settlements: tuple[Settlement, ...]
    housing: tuple[HousingBatch, ...]
    households: tuple[Household, ...]
    vehicle_seats: int
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True, slots=True)
class Placement:
    household: str
    settlement: str
    rooms: int
    ready: int
    period: int


@dataclass(frozen=True, slots=True)
class Convoy:
    settlement: str
    period: int
    vehicles: int
    households: tuple[str, ...]
    people: int
    loads: tuple[tuple[str, ...], ...] = ()  # household ids per vehicle


@dataclass(frozen=True, slots=True)
class Result:
    status: str  # "optimal" or "feasible"
    objective: int
    lower_bound: int
    placements: tuple[Placement, ...]
    unplaced: tuple[str, ...]
    convoys: tuple[Convoy, ...]
    seconds: float


def never_opens(settlement: Settlement, periods: int) -> bool:
    return settlement.opens is None or settlement.opens >= periods


def _negative(what: str, value: int, minimum: int = 0) -> DomainError:
    return RuleViolation(
        "allocation.negative",
        f"{what} is {value}; it must be at least {minimum}.",
        {"item": what, "value": value, "minimum": minimum},
    )


def _check_numbers(problem: Problem) -> None:
    if problem.periods < 1:
        raise _negative("periods", problem.periods, 1)
    if problem.vehicle_seats < 1:
        raise _negative("vehicle_seats", problem.vehicle_seats, 1)
    for name in ("wait", "not_origin", "extra_room", "unplaced"):
        if getattr(problem.weights, name) < 0:
            raise _negative(f"weights.{name}", getattr(problem.weights, name))
    for s in problem.settlements:
        if s.opens is not None and s.opens < 0:
            raise _negative(f"settlement {s.id!r} opens", s.opens)
        if s.convoy_households is not None and s.convoy_households < 0:
            raise _negative(f"settlement {s.id!r} convoy_households", s.convoy_households)
    for i, b in enumerate(problem.housing):
        for name, minimum in (("rooms", 1), ("ready", 0), ("count", 0)):
            if getattr(b, name) < minimum:
                raise _negative(f"housing[{i}] ({b.settlement}) {name}", getattr(b, name), minimum)
    for h in problem.households:
        for name, minimum in (("size", 1), ("rooms_needed", 1), ("available", 0), ("priority", 0)):
            if getattr(h, name) < minimum:
                raise _negative(f"household {h.id!r} {name}", getattr(h, name), minimum)


def validate(problem: Problem) -> list[str]:
    """Raise a DomainError naming the first bad item; return warnings that do not stop a solve."""
    _check_numbers(problem)
    known: set[str] = set()
    for s in problem.settlements:
        if s.id in known:
            raise Conflict("allocation.duplicate_settlement", f"Settlement {s.id!r} is listed twice.", {"id": s.id})
        known.add(s.id)
    for i, b in enumerate(problem.housing):
        if b.settlement not in known:
            raise NotFound(
                "allocation.unknown_settlement",
                f"housing[{i}] names settlement {b.settlement!r}, which is not in the settlements list.",
                {"item": f"housing[{i}]", "settlement": b.settlement},
            )
    largest_house = max((b.rooms for b in problem.housing if b.count > 0), default=0)
    seen: set[str] = set()
    for h in problem.households:
        _check_household(h, known, seen, largest_house, problem.vehicle_seats)
    warnings = []
    with_houses = {b.settlement for b in problem.housing if b.count > 0}
    for s in problem.settlements:
        if s.id in with_houses and never_opens(s, problem.periods):
            warnings.append(
                f"Settlement {s.id!r} never opens within the {problem.periods} periods but has houses listed; "
                "they cannot be used."
            )
    return warnings


def _check_household(h: Household, known: set[str], seen: set[str], largest_house: int, seats: int) -> None:
    if h.id in seen:
        raise Conflict("allocation.duplicate_household", f"Household {h.id!r} is listed twice.", {"id": h.id})
    seen.add(h.id)
    if h.origin not in known:
        raise NotFound(
            "allocation.unknown_origin",
            f"Household {h.id!r} has origin {h.origin!r}, which is not in the settlements list.",
            {"household": h.id, "origin": h.origin},
        )
    for other in h.accepts:
        if other not in known:
            raise NotFound(
                "allocation.unknown_settlement",
                f"Household {h.id!r} accepts {other!r}, which is not in the settlements list.",
                {"household": h.id, "settlement": other},
            )
    if h.rooms_needed > largest_house:
        raise RuleViolation(
            "allocation.rooms_unavailable",
            f"Household {h.id!r} needs {h.rooms_needed} rooms but the largest house listed has {largest_house}.",
            {"household": h.id, "rooms_needed": h.rooms_needed, "largest_house": largest_house},
        )
    if h.size > seats:
        raise RuleViolation(
            "allocation.household_exceeds_vehicle",
            f"Household {h.id!r} has {h.size} people but a vehicle has {seats} seats; a household is never split.",
            {"household": h.id, "size": h.size, "vehicle_seats": seats},
        )


def allowed_settlements(h: Household) -> tuple[str, ...]:
    """Origin first, then the accepted alternatives, without repeats."""
    return tuple(dict.fromkeys((h.origin, *h.accepts)))


def placement_cost(problem: Problem, h: Household, settlement: str, rooms: int, period: int) -> int:
    w = problem.weights
    cost = h.size * (period - h.available) * w.wait * (1 + h.priority)
    if settlement != h.origin:
        cost += h.size * w.not_origin
    return cost + w.extra_room * (rooms - h.rooms_needed)


def unplaced_cost(problem: Problem, h: Household) -> int:
    return h.size * problem.weights.unplaced * problem.periods
