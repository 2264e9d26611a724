"""Seeded synthetic allocation problems shaped like a national return programme.

Households are spread over settlements; sizes follow a return-programme mix (mean about 4.3 people);
rooms needed grow with size; a fifth become available later; a quarter accept one or two neighbouring
settlements; convoy limits are set so that the limit, not the houses, paces most settlements.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from homecoming.optimisation.allocation.model import Household, HousingBatch, Problem, Settlement, Weights

_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
_SIZE_WEIGHTS = (6, 10, 15, 22, 21, 14, 8, 4)


def rooms_for(size: int) -> int:
    return min(4, (size + 1) // 2)


def _settlements(rng: random.Random, count: int, periods: int, per_settlement: list[int]) -> list[Settlement]:
    result = []
    for i in range(count):
        opens = 0 if rng.random() < 0.3 else rng.randrange(0, periods // 2)
        if rng.random() < 0.1:
            limit = None
        else:
            open_periods = periods - opens
            limit = max(1, math.ceil(per_settlement[i] / (open_periods * 0.55)))
        result.append(Settlement(f"S{i + 1:04d}", opens, limit))
    return result


def _housing(
    rng: random.Random, settlement: Settlement, need_by_rooms: dict[int, int], periods: int
) -> list[HousingBatch]:
    opens = settlement.opens or 0
    ready_values = sorted(
        {min(periods - 1, opens + rng.randrange(0, max(1, int((periods - opens) * 0.7)))) for _ in range(8)}
    )
    batches = []
    for rooms in (1, 2, 3, 4):
        total = math.ceil(need_by_rooms.get(rooms, 0) * rng.uniform(0.95, 1.25)) + rng.randrange(0, 3)
        shares = [rng.random() + 0.2 for _ in ready_values]
        scale = total / sum(shares)
        left = total
        for k, ready in enumerate(ready_values):
            count = left if k == len(ready_values) - 1 else min(left, round(shares[k] * scale))
            left -= count
            if count > 0:
                batches.append(HousingBatch(settlement.id, rooms, ready, count))
    return batches


def generate(households: int, settlements: int, periods: int, seed: int, vehicle_seats: int = 45) -> Problem:
    """A problem with `households` households over `settlements` settlements and `periods` periods."""
    rng = random.Random(seed)
    popularity = [rng.uniform(0.3, 1.7) for _ in range(settlements)]
    origins = rng.choices(range(settlements), weights=popularity, k=households)
    per_settlement = [0] * settlements
    for o in origins:
        per_settlement[o] += 1
    sites = _settlements(rng, settlements, periods, per_settlement)
    sizes = rng.choices(_SIZES, weights=_SIZE_WEIGHTS, k=households)
    people: list[Household] = []
    need: list[dict[int, int]] = [{} for _ in range(settlements)]
    for i in range(households):
        o = origins[i]
        size = sizes[i]
        rooms = rooms_for(size)
        need[o][rooms] = need[o].get(rooms, 0) + 1
        available = 0 if rng.random() < 0.8 else rng.randrange(0, max(1, periods // 3))
        roll = rng.random()
        priority = 0 if roll < 0.7 else (1 if roll < 0.9 else 2)
        accepts: tuple[str, ...] = ()
        if settlements > 1 and rng.random() < 0.25:
            neighbours = {(o + d) % settlements for d in (-2, -1, 1, 2)} - {o}
            picked = rng.sample(sorted(neighbours), k=min(len(neighbours), rng.choice((1, 1, 2))))
            accepts = tuple(sites[p].id for p in sorted(picked))
        people.append(Household(f"H-{i + 1:07d}", sites[o].id, size, rooms, available, priority, accepts))
    housing: list[HousingBatch] = []
    for k, site in enumerate(sites):
        housing.extend(_housing(rng, site, need[k], periods))
    return Problem(
        periods=periods,
        settlements=tuple(sites),
        housing=tuple(housing),
        households=tuple(people),
        vehicle_seats=vehicle_seats,
        weights=Weights(),
    )


_PLAN_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
_PLAN_SIZE_WEIGHTS = (240, 404, 559, 746, 600, 328, 150, 66, 27, 13, 7, 4)


def _planned_housing(rng: random.Random, site: Settlement, need: dict[int, int], periods: int) -> list[HousingBatch]:
    """Houses built to the rooms the families need, in one to four batches finished by mid-way to the horizon."""
    opens = site.opens or 0
    late = max(opens + 1, (opens + periods) // 2)
    readies = sorted({rng.randrange(max(0, opens - 12), late) for _ in range(rng.randint(1, 4))})
    batches: list[HousingBatch] = []
    for rooms, n in sorted(need.items()):
        if rooms == max(need) and rooms >= 5 and rng.random() < 0.05:
            continue  # the largest houses were never planned here: those families stay unplaced
        total = math.ceil(n * rng.uniform(1.0, 1.3))
        shares = [rng.random() + 0.1 for _ in readies]
        counts = [math.floor(total * x / sum(shares)) for x in shares]
        counts[-1] += total - sum(counts)
        batches.extend(HousingBatch(site.id, rooms, r, c) for r, c in zip(readies, counts, strict=True) if c > 0)
    return batches


def generate_planned(households: int, settlements: int, periods: int, seed: int, vehicle_seats: int = 45) -> Problem:
    """A problem shaped like the one the planning pipeline builds from a works schedule (planning/allocation.py).

    Settlements are very unequal (Pareto-sized), most open late in the horizon, one convoy limit for all; every
    family goes home only (no alternatives, all available from the start); its houses are built to the rooms its
    families need and finish in a few batches, and a few settlements lack their largest houses.
    """
    rng = random.Random(seed)
    popularity = [rng.paretovariate(1.2) for _ in range(settlements)]
    origins = rng.choices(range(settlements), weights=popularity, k=households)
    limit = max(1, round(0.24 * households / settlements))
    per_settlement = [0] * settlements
    for o in origins:
        per_settlement[o] += 1
    rank = {k: r for r, k in enumerate(sorted(range(settlements), key=lambda k: -popularity[k]))}
    sites = []
    for k in range(settlements):  # the schedule opens the largest settlements first, in time to bring them home
        planned = int(0.9 * periods * rank[k] / settlements) + rng.randrange(0, max(1, periods // 8))
        latest = periods - math.ceil(per_settlement[k] / (0.8 * limit))
        sites.append(Settlement(f"P{k + 1:04d}", max(0, min(planned, latest, periods - 1)), limit))
    sizes = rng.choices(_PLAN_SIZES, weights=_PLAN_SIZE_WEIGHTS, k=households)
    need: list[dict[int, int]] = [{} for _ in range(settlements)]
    people = []
    for i, (o, size) in enumerate(zip(origins, sizes, strict=True)):
        rooms = min(5, (size + 1) // 2)
        need[o][rooms] = need[o].get(rooms, 0) + 1
        priority = 1 if rng.random() < 0.57 else 0
        people.append(Household(f"F-{i + 1:07d}", sites[o].id, size, rooms, 0, priority, ()))
    housing = [b for k, site in enumerate(sites) if need[k] for b in _planned_housing(rng, site, need[k], periods)]
    return Problem(periods, tuple(sites), tuple(housing), tuple(people), vehicle_seats, Weights())


@dataclass(frozen=True, slots=True)
class Shape:
    """General parameters of a synthetic national problem (issue 18); `SHAPES` names the benchmark family.

    Settlement sizes are lognormal (`size_sigma`), or one settlement holds `largest_households` (at most half of
    all households) and the rest are spread lognormally; a `convoy_share` of settlements have a convoy limit drawn
    from `convoy_range` households per period (None: no limits anywhere); settlements open in `opens_range`.
    Housing per settlement and room size is a share drawn from `housing_range` of its households' need, in batches
    of `batch_range` houses ready up to `ready_within` periods after opening. An `accept_share` of households accept
    `accept_count` other settlements among the `accept_window` nearest (by index) on each side; a `late_share`
    become available in `late_range`; priorities 0/1/2 with `priority_weights`.
    """

    size_sigma: float = 0.9
    largest_households: int = 0
    convoy_share: float = 0.7
    convoy_range: tuple[int, int] | None = (8, 40)
    opens_range: tuple[int, int] = (0, 30)
    housing_range: tuple[float, float] = (0.7, 1.1)
    batch_range: tuple[int, int] = (5, 60)
    ready_within: int = 30
    accept_share: float = 0.3
    accept_count: int = 2
    accept_window: int = 3
    late_share: float = 0.2
    late_range: tuple[int, int] = (0, 20)
    priority_weights: tuple[int, int, int] = (80, 15, 5)


SHAPES: dict[str, Shape] = {
    "national": Shape(),
    "shortage": Shape(housing_range=(0.45, 0.55)),
    "unlimited": Shape(convoy_range=None),
    "alternatives": Shape(accept_share=1.0),
    "giant": Shape(largest_households=20_000),
}


def _shaped_origins(rng: random.Random, shape: Shape, households: int, settlements: int) -> list[int]:
    popularity = [rng.lognormvariate(0.0, shape.size_sigma) for _ in range(settlements)]
    giant = min(shape.largest_households, households // 2) if settlements > 1 else 0
    origins = [0] * giant
    origins += rng.choices(
        range(1, settlements) if giant else range(settlements), popularity[1 if giant else 0 :], k=households - giant
    )
    rng.shuffle(origins)
    return origins


def _shaped_site(rng: random.Random, shape: Shape, k: int, periods: int) -> Settlement:
    opens = min(periods - 1, rng.randint(*shape.opens_range))
    limited = shape.convoy_range is not None and rng.random() < shape.convoy_share
    limit = rng.randint(*shape.convoy_range) if limited and shape.convoy_range is not None else None
    return Settlement(f"N{k + 1:04d}", opens, limit)


def _shaped_housing(
    rng: random.Random, shape: Shape, site: Settlement, need: dict[int, int], periods: int
) -> list[HousingBatch]:
    opens = site.opens or 0
    batches: list[HousingBatch] = []
    for rooms, n in sorted(need.items()):
        left = round(n * rng.uniform(*shape.housing_range))
        while left > 0:
            count = min(left, rng.randint(*shape.batch_range))
            ready = min(periods - 1, opens + rng.randint(0, shape.ready_within))
            batches.append(HousingBatch(site.id, rooms, ready, count))
            left -= count
    return batches


def _shaped_accepts(rng: random.Random, shape: Shape, origin: int, sites: list[Settlement]) -> tuple[str, ...]:
    if len(sites) < 2 or rng.random() >= shape.accept_share:
        return ()
    near = sorted({(origin + d) % len(sites) for d in range(-shape.accept_window, shape.accept_window + 1)} - {origin})
    picked = rng.sample(near, k=min(len(near), shape.accept_count))
    return tuple(sites[p].id for p in sorted(picked))


def generate_shaped(
    households: int, settlements: int, periods: int, seed: int, shape: Shape, vehicle_seats: int = 45
) -> Problem:
    """A seeded problem of the given `shape` (see Shape); weights are the defaults (wait 1, not_origin 24, ...)."""
    rng = random.Random(seed)
    origins = _shaped_origins(rng, shape, households, settlements)
    sites = [_shaped_site(rng, shape, k, periods) for k in range(settlements)]
    need: list[dict[int, int]] = [{} for _ in range(settlements)]
    people = []
    for i, o in enumerate(origins):
        size = rng.choices(_SIZES, weights=_SIZE_WEIGHTS)[0]
        rooms = rooms_for(size)
        need[o][rooms] = need[o].get(rooms, 0) + 1
        available = rng.randint(*shape.late_range) if rng.random() < shape.late_share else 0
        priority = rng.choices((0, 1, 2), weights=shape.priority_weights)[0]
        accepts = _shaped_accepts(rng, shape, o, sites)
        people.append(
            Household(f"H-{i + 1:07d}", sites[o].id, size, rooms, min(available, periods - 1), priority, accepts)
        )
    housing = [b for k, site in enumerate(sites) for b in _shaped_housing(rng, shape, site, need[k], periods)]
    return Problem(periods, tuple(sites), tuple(housing), tuple(people), vehicle_seats, Weights())
