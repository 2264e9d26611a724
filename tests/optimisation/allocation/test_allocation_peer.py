"""The engine finds the same optimum as the straightforward per-household model on small problems."""

from __future__ import annotations

import math

import pytest
from allocation_builders import tight_random

from homecoming.optimisation.allocation.check import check
from homecoming.optimisation.allocation.convoys import pack_convoys
from homecoming.optimisation.allocation.generate import generate
from homecoming.optimisation.allocation.model import Result, validate
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


@pytest.mark.parametrize("seed", range(8))
def test_the_milp_and_cp_sat_peers_prove_the_same_optimum(seed: int) -> None:
    """Two solvers on the same per-household model: HiGHS (the bench's peer) and CP-SAT; their placements pass the
    checker at the objective they report."""
    problem = tight_random(seed)
    milp = solve_peer(problem, time_limit=math.inf, solver="highs")
    cpsat = solve_peer(problem, time_limit=math.inf, solver="cpsat")
    assert milp.status == cpsat.status == "optimal"
    assert milp.objective == cpsat.objective == milp.bound == cpsat.bound
    for found in (milp, cpsat):
        convoys = pack_convoys(problem, list(found.placements))
        report = check(
            problem, Result("optimal", milp.objective or 0, 0, found.placements, found.unplaced, convoys, 0.0)
        )
        assert report.ok and report.objective == found.objective


def test_a_peer_stopped_by_its_limit_reports_a_bound_below_the_optimum() -> None:
    """Stopped before its proof, the HiGHS peer's bound must still hold: OR-Tools' model builder reports 0 for
    HiGHS's bound then, which read as a bound put it above the optimum (12 times it at 1,500 households)."""
    problem = generate(100, 6, 24, 3, vehicle_seats=12)
    optimum = solve_peer(problem, time_limit=120)
    assert optimum.status == "optimal" and optimum.objective is not None
    stopped = solve_peer(problem, time_limit=0.001)
    assert stopped.status != "optimal"  # stopped before its proof, as the test means
    assert stopped.bound <= optimum.objective
    assert stopped.objective is None or stopped.objective >= optimum.objective
