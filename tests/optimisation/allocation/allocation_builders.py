"""Small problems for the allocation tests."""

from __future__ import annotations

import random

from homecoming.optimisation.allocation.model import Household, HousingBatch, Problem, Settlement, Weights


def household(hid: str, origin: str, size: int = 1, rooms: int = 1, **kwargs: object) -> Household:
    return Household(hid, origin, size, rooms, **kwargs)  # type: ignore[arg-type]


def problem(
    settlements: list[Settlement],
    housing: list[HousingBatch],
    households: list[Household],
    periods: int = 10,
    seats: int = 45,
    weights: Weights | None = None,
) -> Problem:
    return Problem(periods, tuple(settlements), tuple(housing), tuple(households), seats, weights or Weights())


def tight_random(seed: int) -> Problem:
    """A small problem where convoy limits, room sizes and house ready dates all bind at once."""
    rng = random.Random(seed)
    names = [f"s{k}" for k in range(rng.randint(1, 3))]
    periods = rng.randint(3, 7)
    sites = [Settlement(n, rng.randint(0, 2), rng.choice([1, 1, 2, 3, None])) for n in names]
    housing = [
        HousingBatch(n, rng.randint(1, 3), rng.randint(0, periods - 1), rng.randint(0, 3))
        for n in names
        for _ in range(rng.randint(1, 4))
    ]
    housing.append(HousingBatch(names[0], 3, periods - 1, 1))
    people = []
    for i in range(rng.randint(2, 12)):
        origin = rng.choice(names)
        others = [n for n in names if n != origin and rng.random() < 0.4]
        people.append(
            Household(
                f"h{i:02d}",
                origin,
                rng.randint(1, 6),
                rng.randint(1, 3),
                rng.randint(0, periods - 1),
                rng.randint(0, 2),
                tuple(others),
            )
        )
    weights = Weights(wait=rng.randint(1, 3), not_origin=rng.randint(0, 6), extra_room=rng.randint(0, 3), unplaced=5)
    return Problem(periods, tuple(sites), tuple(housing), tuple(people), 8, weights)
