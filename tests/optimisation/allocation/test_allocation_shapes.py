"""Issue 18: the stresses of the shape family, each on a case solved on paper, and bounds that never pass an optimum.

Hand-solved cases run both the exact path and the large path (sweep, time-free LP, Lagrangian, exact re-solve per
settlement) without a time limit, so the answers do not depend on the machine. The random instances of every shape
compare the large path's bound with the exact optimum (equal to the per-household peer's, test_allocation_peer.py).
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from allocation_builders import household, problem

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.generate import SHAPES, generate_shaped
from homecoming.optimisation.allocation.model import HousingBatch, Problem, Settlement
from homecoming.optimisation.allocation.peer import solve_peer
from homecoming.optimisation.allocation.solve import allocate
from homecoming.optimisation.allocation.timefree import timefree


def _both_paths(case: Problem, objective: int) -> None:
    exact = allocate(case, time_limit=math.inf)
    assert exact.status == "optimal" and exact.objective == exact.lower_bound == objective
    assert check(case, exact).ok
    large = allocate(case, time_limit=math.inf, exact_households=0)
    assert check(case, large).ok
    assert large.objective == objective
    assert large.lower_bound <= objective


def test_housing_shortage_houses_the_larger_family() -> None:
    """One house, families of 1 and 2: the pair moves in at once, the single person stays out (1 x 1000 x 3)."""
    case = problem(
        [Settlement("A", 0)], [HousingBatch("A", 1, 0, 1)], [household("h1", "A", 1), household("h2", "A", 2)], 3
    )
    _both_paths(case, 3000)


def test_binding_convoy_limit_brings_the_heaviest_first() -> None:
    """One arrival per period, families of 3, 2, 1: 3 at 0, 2 at 1, 1 at 2; waiting 0 + 2 + 2 = 4."""
    people = [household("h1", "A", 1), household("h2", "A", 2), household("h3", "A", 3)]
    case = problem([Settlement("A", 0, 1)], [HousingBatch("A", 1, 0, 3)], people, 3)
    _both_paths(case, 4)


def test_no_convoy_limit_families_move_when_houses_are_ready() -> None:
    """Houses ready at 0 and at 2, no limit: the pair takes the first, the single waits 2 periods for the second."""
    case = problem(
        [Settlement("A", 0)],
        [HousingBatch("A", 1, 0, 1), HousingBatch("A", 1, 2, 1)],
        [household("h1", "A", 1), household("h2", "A", 2)],
        4,
    )
    _both_paths(case, 2)


def test_alternatives_send_the_smaller_family_away() -> None:
    """Both from A, one house in A and one in B; only the single accepts B: it goes there (not_origin 24 x 1)."""
    people = [household("h1", "A", 1, accepts=("B",)), household("h2", "A", 3)]
    case = problem(
        [Settlement("A", 0), Settlement("B", 0)], [HousingBatch("A", 1, 0, 1), HousingBatch("B", 1, 0, 1)], people, 3
    )
    _both_paths(case, 24)


def test_one_large_settlement_paced_by_its_convoys() -> None:
    """Fifty identical single people, ten arrivals a period: ten each in periods 0-4, waiting 10 x (0+1+2+3+4)."""
    people = [household(f"h{i:02d}", "A", 1) for i in range(50)]
    case = problem([Settlement("A", 0, 10)], [HousingBatch("A", 1, 0, 50)], people, 10)
    _both_paths(case, 100)


def _small(shape: str, seed: int, households: int = 60) -> Problem:
    """A small random problem of `shape`, its openings and ready dates squeezed into 10 periods."""
    squeezed = dataclasses.replace(SHAPES[shape], opens_range=(0, 4), ready_within=4, late_range=(0, 5))
    squeezed = dataclasses.replace(squeezed, convoy_range=(1, 4) if squeezed.convoy_range else None)
    return generate_shaped(households, 3, 10, seed, squeezed, vehicle_seats=12)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("seed", range(3))
def test_large_path_bound_never_passes_the_optimum(shape: str, seed: int) -> None:
    case = _small(shape, seed)
    optimum = allocate(case, time_limit=math.inf)
    assert optimum.status == "optimal"
    large = allocate(case, time_limit=math.inf, exact_households=0)
    assert check(case, large).ok
    assert timefree(case, deadline=math.inf).bound <= large.lower_bound <= optimum.objective <= large.objective


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_engine_equals_peer_on_each_shape(shape: str) -> None:
    case = _small(shape, 7, households=25)
    ours = allocate(case, time_limit=math.inf)
    peer = solve_peer(case, time_limit=math.inf)
    assert peer.status == "optimal"
    assert ours.status == "optimal" and ours.objective == peer.objective
    assert check(case, ours).ok
