"""Vehicles: never a household split, and no more than the bin-packing bound + 1 whenever that is possible."""

from __future__ import annotations

import math
import random

from homecoming.optimisation.allocation.convoys import first_fit_decreasing, pack, packing_bound, seats_bound


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
