"""Vehicles: never a household split, and no more than the bin-packing bound + 1 whenever that is possible."""

from __future__ import annotations

import math
import random
from collections import Counter

from homecoming.optimisation.allocation.convoys import (
    first_fit_decreasing,
    least_slack,
    pack,
    packing_bound,
    seats_bound,
    strong_bound,
)
from homecoming.optimisation.allocation.cutting import stock


def test_first_fit_decreasing_stays_within_one_vehicle_of_the_bound_on_household_mixes() -> None:
    rng = random.Random(7)
    for _ in range(300):
        sizes = [rng.choice([1, 2, 3, 4, 4, 5, 5, 6, 7, 8]) for _ in range(rng.randint(1, 60))]
        vehicles = first_fit_decreasing(sizes, 45)
        assert sorted(i for v in vehicles for i in v) == list(range(len(sizes)))
        assert all(sum(sizes[i] for i in v) <= 45 for v in vehicles)
        assert len(vehicles) <= seats_bound(sizes, 45) + 1


def test_pack_keeps_the_best_it_can_prove_when_the_bound_is_out_of_reach() -> None:
    sizes = [6, 6, 6, 6, 6]  # two households never share a 10-seat vehicle: 5 vehicles, bound 3
    vehicles = pack(sizes, 10, time_limit=math.inf)
    assert len(vehicles) == 5
    assert seats_bound(sizes, 10) == 3


def test_pack_example() -> None:
    sizes = [5, 4, 4, 3, 2, 2]
    vehicles = pack(sizes, 10)
    assert len(vehicles) <= seats_bound(sizes, 10) + 1
    assert sorted(i for v in vehicles for i in v) == list(range(6))


def test_packing_bound_sees_loads_that_cannot_fill_a_vehicle() -> None:
    """Even sizes fill 44 of 45 seats: 4,448 people need 102 vehicles, not ceil(4448 / 45) = 99; a hundred families
    of eight need twenty vehicles (five each), not eighteen."""
    group = [2] * 84 + [4] * 316 + [6] * 380 + [8] * 92
    assert packing_bound(group, 45) == 102
    assert len(pack(group, 45)) == 102
    assert packing_bound([8] * 100, 45) == 20
    assert packing_bound([8, 8, 8, 8, 8, 5], 45) == 1
    assert packing_bound([], 45) == 0


def _valid(vehicles: list[list[int]], sizes: list[int], seats: int) -> bool:
    return sorted(i for v in vehicles for i in v) == list(range(len(sizes))) and all(
        sum(sizes[i] for i in v) <= seats for v in vehicles
    )


def test_the_cutting_stock_bound_sees_what_the_seat_counts_do_not() -> None:
    """108 families of seven fill 18 vehicles six at a time with 3 seats spare, where no family of six fits; the nine
    families of six need two more vehicles: 20 in all, though 810 people would fit in 18 full vehicles of 45."""
    sizes = [7] * 108 + [6] * 9
    assert packing_bound(sizes, 45) == 18
    assert stock({7: 108, 6: 9}, 45).bound == 20
    assert strong_bound(sizes, 45) == 20
    vehicles = pack(sizes, 45)
    assert len(vehicles) == 20 and _valid(vehicles, sizes, 45)


def test_pack_reaches_the_bound_where_first_fit_and_least_slack_need_two_more() -> None:
    sizes = [3] * 333 + [8] * 246
    greedy = min(len(first_fit_decreasing(sizes, 45)), len(least_slack(sizes, 45)))
    assert strong_bound(sizes, 45) == 67
    assert greedy == 69
    vehicles = pack(sizes, 45)
    assert len(vehicles) == 67 and _valid(vehicles, sizes, 45)


def test_pack_stays_within_one_vehicle_of_the_cutting_stock_bound_on_skewed_mixes() -> None:
    """Groups of a few sizes in lopsided numbers, other vehicle sizes too: the greedy rules alone leave some of
    these two to fourteen vehicles above the bound."""
    rng = random.Random(11)
    for _ in range(60):
        seats = rng.choice([10, 12, 20, 45, 60])
        choices = rng.sample(range(1, min(seats, 9) + 1), rng.randint(1, 3))
        sizes = rng.choices(choices, weights=[rng.random() for _ in choices], k=rng.randint(200, 1500))
        vehicles = pack(sizes, seats, time_limit=0.5)
        assert _valid(vehicles, sizes, seats)
        assert len(vehicles) <= strong_bound(sizes, seats) + 1
        assert strong_bound(sizes, seats) <= len(vehicles)


def test_the_cutting_stock_bound_is_never_above_an_exact_packing() -> None:
    """On small groups CP-SAT proves the fewest vehicles; the LP bound is never above it."""
    rng = random.Random(5)
    for _ in range(25):
        sizes = [rng.randint(1, 8) for _ in range(rng.randint(1, 14))]
        best = len(pack(sizes, 12, time_limit=math.inf))
        assert stock(dict(Counter(sizes)), 12).bound <= best
