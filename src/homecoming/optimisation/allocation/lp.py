"""Solving the aggregated network with its convoy rows as a linear programme (GLOP), integral by repair."""

from __future__ import annotations

import math
import time

from ortools.linear_solver import pywraplp

from homecoming.optimisation.allocation.network import Network

INTEGRAL = 1e-6


class OutOfTime(Exception):
    """The LP or the integer model did not finish within its time limit."""


def _model(net: Network, solver: pywraplp.Solver, integer: bool) -> list[pywraplp.Variable]:
    total = -net.supplies.get(0, 0)
    x = [solver.Var(0.0, float(min(cap, total)), integer, "") for cap in net.capacities]
    objective = solver.Objective()
    for a, cost in enumerate(net.costs):
        objective.SetCoefficient(x[a], float(cost))
    objective.SetMinimization()
    rows = [
        solver.Constraint(float(net.supplies.get(v, 0)), float(net.supplies.get(v, 0))) for v in range(net.num_nodes)
    ]
    for a in range(len(x)):
        rows[net.tails[a]].SetCoefficient(x[a], 1.0)
        rows[net.heads[a]].SetCoefficient(x[a], -1.0)
    for key, arcs in net.convoy_rows.items():
        row = solver.Constraint(0.0, float(net.convoy_limits[key]))
        for a in arcs:
            row.SetCoefficient(x[a], 1.0)
    return x


def solve_network(net: Network, *, time_limit: float) -> tuple[list[int], int, bool]:
    """Integral arc flows, a lower bound (the LP optimum, rounded up), and whether the flows are proven optimal."""
    deadline = time.perf_counter() + time_limit
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = _model(net, solver, integer=False)
    solver.SetTimeLimit(int(time_limit * 1000))
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise OutOfTime(f"the LP of the allocation network ended with status {status}")
    bound = _rounded_up(solver.Objective().Value())
    values = [v.solution_value() for v in x]
    if all(abs(v - round(v)) <= INTEGRAL for v in values):
        flows = [round(v) for v in values]
        return flows, sum(c * f for c, f in zip(net.costs, flows, strict=True)), True
    left = deadline - time.perf_counter()
    if left <= 0.05:
        raise OutOfTime("no time left for the integer allocation model")
    mip = pywraplp.Solver.CreateSolver("SCIP")
    y = _model(net, mip, integer=True)
    mip.SetTimeLimit(int(left * 1000))
    mip_status = mip.Solve()
    if mip_status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise OutOfTime(f"the integer allocation model ended with status {mip_status}")
    flows = [round(v.solution_value()) for v in y]
    exact = mip_status == pywraplp.Solver.OPTIMAL
    return flows, max(bound, _rounded_up(mip.Objective().BestBound())), exact


def _rounded_up(value: float) -> int:
    """An integer bound from a floating-point one, allowing for the solver's relative tolerance."""
    return math.ceil(value - INTEGRAL * max(1.0, abs(value)))
