"""The engine finds the same optimum as the straightforward per-household model on small problems."""

from __future__ import annotations

import math

import pytest
from allocation_builders import tight_random

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import generate
from homecoming.optimisation.allocation.model import validate
from homecoming.optimisation.allocation.peer import solve_peer
from homecoming.optimisation.allocation.solve import allocate


@pytest.mark.parametrize("seed", range(40))
def test_engine_equals_peer_optimum_on_tight_random_problems(seed: int) -> None:
    problem = tight_random(seed)
    assert validate(problem) == []
    ours = allocate(problem, time_limit=math.inf)
    peer = solve_peer(problem, time_limit=math.inf)
    assert peer.status == "optimal"
    assert ours.objective == peer.objective
    assert ours.status == "optimal"
    assert ours.lower_bound == ours.objective
    assert check(problem, ours).ok


@pytest.mark.parametrize("seed", range(4))
def test_engine_equals_peer_optimum_on_generated_problems(seed: int) -> None:
    problem = generate(30 + 10 * seed, 3, 8, seed, vehicle_seats=12)
    ours = allocate(problem, time_limit=math.inf)
    peer = solve_peer(problem, time_limit=math.inf)
    assert peer.status == "optimal"
    assert ours.objective == peer.objective
    assert check(problem, ours).ok
